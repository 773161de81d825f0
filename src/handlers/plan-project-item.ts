/**
 * GitHub's `projects_v2_item` webhook: a card's field changed on an organization project. It
 * reaches the App on its own webhook endpoint, signed with the App's secret and checked at
 * ingest like every GitHub delivery, so no tracker webhook secret is involved. For each GitHub
 * Projects connection on that project, a change of its status field is the signal a tracker's
 * webhook gives ("something changed on this issue"), planned by `planIssueChange`: the issue is
 * read from the API (the payload names it only by node id) and its PRs' checks follow.
 *
 * Payload fields read: `action`, `changes.field_value.{field_name, field_type, project_number}`
 * (name and number are absent from older deliveries), `projects_v2_item.{content_node_id,
 * content_type}`, `organization.login`.
 */
import { TRACKER_EVENT, type TrackerSignal } from "../delivery/tracker-ingest.js";
import type { IncomingDelivery, PlanSubmission } from "../delivery/types.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { type IssueChangeDeps, planIssueChange } from "./plan-issue-change.js";

export const PROJECT_ITEM_EVENT = "projects_v2_item";

type ProjectConnection = Pick<TrackerConnection, "name" | "project" | "statusField">;

interface ItemPayload {
  action?: unknown;
  changes?: {
    field_value?: { field_name?: unknown; field_type?: unknown; project_number?: unknown };
  };
  projects_v2_item?: { content_node_id?: unknown; content_type?: unknown };
  organization?: { login?: unknown };
}

/**
 * The signals of one delivery: one per connection whose project and status field it names;
 * none for another field, a draft issue or a pull request on the board, or another project.
 *
 * @example
 * projectItemSignals({ action: "edited", changes: { field_value: { field_name: "Status", project_number: 3 } },
 *   projects_v2_item: { content_node_id: "I_kw1", content_type: "Issue" }, organization: { login: "acme" } },
 *   [{ name: "roadmap", project: { owner: "acme", number: 3 } }])
 * // [{ connection: "roadmap", key: "I_kw1", origin: "webhook" }]
 */
export function projectItemSignals(
  payload: unknown,
  connections: readonly ProjectConnection[],
): TrackerSignal[] {
  const body = (payload ?? {}) as ItemPayload;
  const change = body.changes?.field_value;
  const item = body.projects_v2_item;
  const org = body.organization?.login;
  if (body.action !== "edited" || !change || item?.content_type !== "Issue") return [];
  if (typeof item.content_node_id !== "string" || typeof org !== "string") return [];
  return connections
    .filter(({ project, statusField }) => {
      if (!project || project.owner.toLowerCase() !== org.toLowerCase()) return false;
      if (typeof change.project_number === "number" && change.project_number !== project.number)
        return false;
      // Without the field's name (older deliveries), any single-select change may be the status.
      return typeof change.field_name === "string"
        ? change.field_name.toLowerCase() === (statusField ?? "Status").toLowerCase()
        : change.field_type === "single_select";
    })
    .map(({ name }) => ({
      connection: name,
      key: item.content_node_id as string,
      origin: "webhook",
    }));
}

/** Each signal planned as a tracker webhook's would be. */
export async function planProjectItem(
  delivery: IncomingDelivery,
  connections: readonly ProjectConnection[],
  deps: IssueChangeDeps,
): Promise<PlanSubmission[]> {
  const submissions: PlanSubmission[] = [];
  for (const signal of projectItemSignals(delivery.payload, connections)) {
    submissions.push(...(await planIssueChange({ ...delivery, payload: signal }, deps)));
  }
  if (submissions.length === 0)
    deps.log.debug({ delivery: delivery.id }, "no status change of a connection's project");
  return submissions;
}

/**
 * The planner of a tracker change signal (a tracker's webhook, the poll, the App's own move)
 * or of a GitHub project's item; null for every other event (Probot's handlers plan those).
 */
export function planIssueSignal(
  delivery: IncomingDelivery,
  connections: readonly ProjectConnection[],
  deps: IssueChangeDeps,
): Promise<PlanSubmission[]> | null {
  if (delivery.event === TRACKER_EVENT) return planIssueChange(delivery, deps);
  if (delivery.event === PROJECT_ITEM_EVENT) return planProjectItem(delivery, connections, deps);
  return null;
}
