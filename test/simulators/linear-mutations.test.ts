/**
 * The Linear simulator's mutations over real HTTP: an `issueCreate` with an id already given
 * is refused (the first create stands), and an attachment's id from `attachmentLinkURL` is
 * the one `attachments` lists and `attachmentDelete` takes.
 */
import { expect, it } from "vitest";
import { linearBed } from "../helpers/linear.js";

const TOKEN = "lin_api_mutations-0123456789";
const bed = linearBed(TOKEN);

async function linear<T>(query: string, variables: Record<string, unknown> = {}) {
  const answer = await fetch(`${bed.sim.url}/graphql`, {
    method: "POST",
    headers: { authorization: TOKEN, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await answer.json()) as {
    data?: T;
    errors?: Array<{ message: string; extensions: { userPresentableMessage?: string } }>;
  };
}

it("refuses a second issueCreate with the same id; the first create stands", async () => {
  const teams = await linear<{ teams: { nodes: Array<{ id: string }> } }>(
    '{ teams(filter: { key: { eq: "ENG" } }) { nodes { id } } }',
  );
  const teamId = teams.data?.teams.nodes[0]?.id;
  const create = (title: string) =>
    linear<{ issueCreate: { issue: { id: string; title: string } } }>(
      "mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier title } } }",
      { input: { id: "9b2d7c1e-0f4a-4c3b-a1d2-3e4f5a6b7c8d", teamId, title } },
    );
  const first = await create("first");
  expect(first.data?.issueCreate.issue).toMatchObject({
    id: "9b2d7c1e-0f4a-4c3b-a1d2-3e4f5a6b7c8d",
    title: "first",
  });
  const second = await create("second");
  expect(second.errors?.[0]?.extensions.userPresentableMessage).toBe(
    "An issue with this id already exists.",
  );
  expect(bed.sim.issueKeys("ENG")).toHaveLength(2);
});

it("lists and deletes an attachment by the id attachmentLinkURL answered", async () => {
  const linked = await linear<{ attachmentLinkURL: { attachment: { id: string } } }>(
    'mutation { attachmentLinkURL(issueId: "ENG-1", url: "https://bench.test/1", title: "bench") { attachment { id } } }',
  );
  const id = linked.data?.attachmentLinkURL.attachment.id;
  const listed = await linear<{ issue: { attachments: { nodes: unknown[] } } }>(
    '{ issue(id: "ENG-1") { attachments { nodes { id url } } } }',
  );
  expect(listed.data?.issue.attachments.nodes).toEqual([{ id, url: "https://bench.test/1" }]);
  const deleted = await linear<{ attachmentDelete: { success: boolean } }>(
    "mutation($id: String!) { attachmentDelete(id: $id) { success } }",
    {
      id,
    },
  );
  expect(deleted.data?.attachmentDelete).toEqual({ success: true });
  expect(bed.sim.getIssue("ENG-1").links).toEqual([]);
});
