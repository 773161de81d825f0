/** GitHub's own `projects_v2_item.edited` example (@octokit/webhooks-examples), a copy to change. */
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import type { GitHubSimulator } from "../../src/simulators/github/index.js";

export interface ProjectItemEdited {
  action: string;
  projects_v2_item: Record<string, unknown>;
  changes: { field_value: Record<string, unknown> };
  organization: Record<string, unknown> & { login: string };
  [other: string]: unknown;
}

/** A draft issue's single select edited, on an organization's project. */
export function projectItemEditedExample(): ProjectItemEdited {
  const event = (
    examples as Array<{ name: string; examples: Array<Record<string, unknown>> }>
  ).find((e) => e.name === "projects_v2_item");
  const found = event?.examples.find((p) => p.action === "edited" && p.changes);
  if (!found) throw new Error("no projects_v2_item.edited example");
  return structuredClone(found) as ProjectItemEdited;
}

/**
 * GitHub's example made the edit of an issue's Status on the simulator's project acme/1, as
 * GitHub delivers it to `installationId`: what a card dragged on the board sends the App.
 */
export function statusEdited(
  github: Pick<GitHubSimulator, "projects">,
  contentNodeId: string,
  installationId: number,
) {
  const payload = projectItemEditedExample();
  const status = github.projects.project().fields.find((f) => f.name === "Status");
  Object.assign(payload.projects_v2_item, {
    project_node_id: github.projects.project().id,
    content_node_id: contentNodeId,
    content_type: "Issue",
  });
  payload.changes.field_value = {
    field_node_id: status?.id,
    field_type: "single_select",
    field_name: "Status",
    project_number: 1,
  };
  payload.organization.login = "acme";
  return {
    ...payload,
    installation: { id: installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc=" },
  };
}
