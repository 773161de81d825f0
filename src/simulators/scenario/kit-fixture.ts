/**
 * What the conformance kit needs to know about one adapter mode: how to start its simulator,
 * the connection, and how its keys and fields look. Everything else (what it can do) comes
 * from the kind's capability table, which the kit holds the adapter to.
 */
import type { TrackerConnection } from "../../trackers/connection.js";
import type { CreateTrackerOptions } from "../../trackers/create-tracker.js";
import type { TrackerSimulator } from "../shared/admin.js";
import type { FaultSpec } from "../shared/http-server.js";
import type { IssueSnapshot } from "../shared/store.js";

/** What the kit uses of a simulator: the shared admin surface, or an adapter onto it. */
export interface KitSimulator
  extends Pick<
    TrackerSimulator,
    "url" | "requests" | "resetRequests" | "injectFaults" | "reset" | "close" | "issueKeys"
  > {
  createIssue(key: string, options?: { status?: string }): unknown;
  getIssue(
    key: string,
  ): Pick<IssueSnapshot, "fields" | "comments" | "links" | "fixVersions" | "assignee">;
}

export interface KitFixture {
  /** The connection's name, in every message, and the suite's title ("jira-dc"). */
  name: string;
  start(): Promise<KitSimulator>;
  connection(url: string): TrackerConnection;
  /** What `createTracker` is given besides the connection (GitHub Projects: GitHub access). */
  options?(connection: TrackerConnection, url: string): CreateTrackerOptions;
  /** Strings that must never appear in an error message (tokens, and what is derived from them). */
  secrets: string[];
  /**
   * Issue `n`: the key the simulator is given and the key trackbridge reads it by (the same
   * for project keys; `WEB-7` → `RM-7` for a numbered tracker).
   */
  issue(n: number): { sim: string; key: string };
  /** A field the bench URL can be written to, and where the simulator keeps what was written. */
  field: { id: string; stored: string };
  /** The statuses the kit moves through, where the simulator's workflow names them otherwise. */
  statuses?: KitStatuses;
  /**
   * True: the PR link is the PR's own mention of the issue (GitHub Projects), so linking
   * writes nothing and reports the link as there.
   */
  linkedByThePr?: boolean;
  /**
   * Where the kit creates issues (`NewIssue.project`), the simulator's queue that then holds
   * them, and which request is the create (the one whose answer the kit drops after the
   * tracker committed it; default: the first POST).
   */
  create?: { project: string; queue: string; request?: Partial<FaultSpec> };
  /**
   * Whom the kit assigns: what `setAssignee` takes on this tracker (a login, a user id) and
   * the login the simulator then shows.
   */
  assignee?: { login: string; stored: string };
  /** Reads a written field back when the tracker keeps it elsewhere (Linear: an attachment). */
  readField?(sim: KitSimulator, simKey: string, field: string): unknown;
}

/** `PROJ-n` on both sides: the trackers whose keys are project keys. */
export const projectKeys =
  (project: string) =>
  (n: number): { sim: string; key: string } => ({
    sim: `${project}-${n}`,
    key: `${project}-${n}`,
  });

export interface KitStatuses {
  /** A status of category in_progress: the simulator's key and the tracker's display name. */
  inProgress: { sim: string; display: string };
  /** Where a new issue starts, and a status one transition away from it. */
  start: string;
  oneStep: string;
  /** A status reached through `via` (the config's waypoint). */
  routed: { target: string; via: string };
}

/** The shared simulators' workflow (Open → In progress, Open → In review → Ready for test). */
export const DEFAULT_STATUSES: KitStatuses = {
  inProgress: { sim: "inProgress", display: "In progress" },
  start: "Open",
  oneStep: "In progress",
  routed: { target: "Ready for test", via: "In review" },
};
