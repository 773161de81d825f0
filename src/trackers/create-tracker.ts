/**
 * Builds the adapter for a connection. The composition roots (server, Action, CLI) call this;
 * nothing else picks an adapter.
 *
 * @example
 * const tracker = createTracker({ name: "jira", type: "jira", url: "https://acme.atlassian.net",
 *   email: "bot@acme.com", token }, { timeoutMs: 5000 });
 */

import { type Send, sendHttp } from "../http/send.js";
import type { TrackerConnection } from "./connection.js";
import { createGitHubProjectsTracker, type GitHubGraphqlAccess } from "./github-projects/index.js";
import { createJiraTracker } from "./jira/index.js";
import { createLinearTracker } from "./linear/index.js";
import type { Tracker } from "./port.js";
import { createRedmineTracker } from "./redmine/index.js";
import { createRequestTrackerTracker } from "./request-tracker/index.js";
import { createYandexTracker } from "./yandex/index.js";
import { createYouTrackTracker } from "./youtrack/index.js";

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
  };
  switch (connection.type) {
    case "yandex":
      return createYandexTracker(connection, deps);
    case "jira":
      return createJiraTracker(connection, deps);
    case "linear":
      return createLinearTracker(connection, deps);
    case "redmine":
      return createRedmineTracker(connection, deps);
    case "request-tracker":
      return createRequestTrackerTracker(connection, deps);
    case "github-projects":
      if (!options.github)
        throw new Error(`connection "${connection.name}" (github-projects) needs GitHub access`);
      return createGitHubProjectsTracker(connection, options.github, deps);
    case "youtrack":
      return createYouTrackTracker(connection, deps);
    default: {
      const unknown: never = connection.type;
      throw new Error(`unknown tracker type ${String(unknown)}`);
    }
  }
}
