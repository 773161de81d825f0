/**
 * `projects_v2_item` deliveries as tracker signals: GitHub's own example payload
 * (@octokit/webhooks-examples: a draft issue's single select edited) and its variants.
 */
import { describe, expect, it } from "vitest";
import { projectItemSignals } from "../../src/handlers/plan-project-item.js";
import { projectItemEditedExample } from "../helpers/project-item-example.js";

const edited = projectItemEditedExample();

const ORG = edited.organization.login;
const roadmap = { name: "roadmap", project: { owner: ORG.toLowerCase(), number: 3 } };
const issueItem = {
  ...edited.projects_v2_item,
  content_node_id: "I_kwDOsim12",
  content_type: "Issue",
};
const withChange = (fieldValue: Record<string, unknown>, item = issueItem) => ({
  ...edited,
  projects_v2_item: item,
  changes: { field_value: { ...edited.changes.field_value, ...fieldValue } },
});
const signal = { connection: "roadmap", key: "I_kwDOsim12", origin: "webhook" };

describe("projectItemSignals", () => {
  it.each([
    ["GitHub's example as it is: a draft issue", edited, []],
    ["an issue's single select, no field name (older deliveries)", withChange({}), [signal]],
    [
      "the Status field by name, on project 3",
      withChange({ field_name: "status", project_number: 3 }),
      [signal],
    ],
    ["another field", withChange({ field_name: "Estimate", field_type: "number" }), []],
    ["another project of the org", withChange({ field_name: "Status", project_number: 4 }), []],
    ["a text field, no name", withChange({ field_type: "text" }), []],
    [
      "a pull request on the board",
      withChange({}, { ...issueItem, content_type: "PullRequest" }),
      [],
    ],
    ["another organization", { ...withChange({}), organization: { login: "other" } }, []],
    ["an item archived, not edited", { ...withChange({}), action: "archived" }, []],
  ])("%s", (_what, payload, expected) => {
    expect(projectItemSignals(payload, [roadmap])).toEqual(expected);
  });

  it("a connection's own status field name", () => {
    const stage = { ...roadmap, statusField: "Stage" };
    expect(projectItemSignals(withChange({ field_name: "Stage" }), [stage])).toEqual([signal]);
    expect(projectItemSignals(withChange({ field_name: "Status" }), [stage])).toEqual([]);
  });
});
