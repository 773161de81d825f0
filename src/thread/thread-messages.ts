/** What the main thread and the processing thread (thread-main.ts) say to each other. */
import type { ServerConfig } from "../config/server-config.js";
import type { WorkKind } from "../delivery/outbox-worker.js";
import type { RateLimitReading } from "../github/github-rate-limit.js";
import type { ConnectionState } from "../telemetry/connection-health.js";
import type { ThreadTuning } from "./compose-thread.js";

/** The thread's `workerData`: plain data, cloned into the thread. */
export interface ThreadData {
  config: ServerConfig;
  env: Record<string, string | undefined>;
  logLevel: string;
  tuning: ThreadTuning;
  /** The main thread's count of webhooks being answered (webhooks-in-flight.ts). */
  webhooksInFlight?: SharedArrayBuffer;
}

export type ToThread =
  /** Deliveries were stored (or work was added): look for work now. */
  | { type: "wake"; kinds?: WorkKind[] }
  | { type: "drain"; id: number }
  | { type: "idle"; id: number }
  | { type: "stop"; timeoutMs: number };

/** The thread posts these in arrays: everything it said within a short window (batch-messages.ts). */
export type FromThread =
  | { type: "started" }
  | { type: "done"; id: number; error?: string }
  | { type: "stopped" }
  /** One log line, already scrubbed of secrets, for the main thread's log stream. */
  | { type: "log"; line: string }
  | { type: "tracker-request"; tracker: string; status: string; seconds: number }
  | { type: "github-request"; status: string; remaining: number | undefined }
  /** Statements and transactions the thread's store connection sent since the last report. */
  | { type: "store-statements"; statements: number; transactions: number }
  | { type: "connection-state"; connection: string; state: ConnectionState }
  | { type: "rate-limit"; installationId: number; reading: RateLimitReading };
