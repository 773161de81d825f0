/** GitHub's own `projects_v2_item.edited` example (@octokit/webhooks-examples), a copy to change. */
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };

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
