/** What the console is handed by the composition root (src/server/server.ts). */
import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-config.js";
import type { Worker } from "../delivery/outbox-worker.js";
import type { Store } from "../delivery/store.js";
import type { LoadedConfig } from "../github/load-repo-config.js";
import type { SyncApp } from "../handlers/sync-dispatch.js";
import type { ConnectionHealth } from "../telemetry/connection-health.js";
import type { Metrics } from "../telemetry/metrics.js";
import type { Tracker } from "../trackers/port.js";

export interface GitHubAccess {
  installations(): Promise<Array<{ id: number; account: string; type: string }>>;
  /** `owner/name` of every repository the installation can see. */
  repositories(installationId: number): Promise<string[]>;
  repoConfig(installationId: number, fullName: string): Promise<LoadedConfig>;
}

export interface ConsoleDeps {
  config: ServerConfig;
  store: Store;
  metrics: Metrics;
  health: ConnectionHealth;
  trackers: ReadonlyMap<string, Tracker>;
  github: GitHubAccess;
  /** The App's GitHub auth and its handlers, for the sync's preview and apply. */
  app: SyncApp;
  worker: Pick<Worker, "state" | "wake">;
  log: Logger;
  /** Also what GitHub's OAuth endpoints are called with (tests point it at the simulator). */
  fetch?: typeof fetch;
  clock?: () => number;
}
