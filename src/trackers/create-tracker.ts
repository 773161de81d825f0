/**
 * Builds the adapter for a connection through its kind (`kinds.ts`). The composition roots (server, Action, CLI) call this;
 * nothing else picks an adapter.
 *
 * @example
 * const tracker = createTracker({ name: "jira", type: "jira", url: "https://acme.atlassian.net",
 *   email: "bot@acme.com", token }, { timeoutMs: 5000 });
 */

import { type Send, sendHttp } from "../http/send.js";
import { guardCapabilities } from "./capability-guard.js";
import type { TrackerConnection } from "./connection.js";
import type { GitHubGraphqlAccess } from "./github-projects/client.js";
import { kindOf } from "./kinds.js";
import type { Tracker } from "./port.js";

export interface CreateTrackerOptions {
  /** Per-request timeout; 10 s by default. */
  timeoutMs?: number;
  /** What carries each request (instrumented by the server, recorded by doctor); node:http otherwise. */
  send?: Send;
  /** GitHub Projects: GitHub's GraphQL as the App's installation (or the Action's token). */
  github?: GitHubGraphqlAccess;
}

export const DEFAULT_TRACKER_TIMEOUT_MS = 10_000;

export function createTracker(
  connection: TrackerConnection,
  options: CreateTrackerOptions = {},
): Tracker {
  const deps = {
    send: options.send ?? sendHttp,
    timeoutMs: options.timeoutMs ?? DEFAULT_TRACKER_TIMEOUT_MS,
    ...(options.github ? { github: options.github } : {}),
  };
  const kind = kindOf(connection.type);
  return guardCapabilities(kind, connection, kind.create(connection, deps));
}
