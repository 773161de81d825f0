/**
 * GitHub's own example payloads (@octokit/webhooks-examples), pointed at the simulated
 * repository and PR, go through the real server. Values the examples lack (an approval, a
 * merge, a deployment URL) are set on top of the real shapes.
 */

import examples from "@octokit/webhooks-examples";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { githubsOwnExample } from "../../src/simulators/github/contract.js";
import { githubNow } from "../../src/simulators/scenario/payloads.js";
import {
  INSTALLATION_ID,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { openPr, send, status } from "./world.js";

// biome-ignore lint/suspicious/noExplicitAny: tests edit GitHub's example payloads freely.
type Payload = Record<string, any>;

function example(
  name: string,
  action: string,
  pick: (p: Payload) => boolean = () => true,
): Payload {
  const list = (examples as unknown as Array<{ name: string; examples: Payload[] }>).find(
    (e) => e.name === name,
  );
  const found = list?.examples.find((p) => p.action === action && pick(p));
  if (!found) throw new Error(`no ${name}.${action} example`);
  return githubsOwnExample(structuredClone(found));
}

describe("real GitHub payloads", () => {
  let bed: Testbed;
  let number = 0;
  beforeAll(async () => {
    bed = await startTestbed({ tracker: "yandex" });
  });
  afterAll(async () => bed.close());

  let key: string;
  let pr: ReturnType<typeof openPr>;
  beforeEach(() => {
    number += 1;
    key = `PROJ-${500 + number}`;
    bed.tracker.createIssue(key);
    pr = openPr(bed, { number, branch: `feature/${key}-thing`, title: `Thing ${number}` });
  });

  /** Points an example at our repository, installation and PR, keeping everything else. */
  function aimed(payload: Payload): Payload {
    payload.repository = { ...payload.repository, ...bed.repository };
    payload.installation = { id: INSTALLATION_ID, node_id: "MDIz" };
    if (payload.pull_request) {
      // Only pull_request events carry `number`; a review's payload has the PR alone.
      if ("number" in payload) payload.number = number;
      payload.pull_request = {
        ...payload.pull_request,
        number,
        title: pr.title,
        body: pr.body,
        html_url: pr.html_url,
        url: pr.url,
        updated_at: githubNow(),
        head: { ...payload.pull_request.head, ref: pr.head.ref, sha: pr.head.sha },
      };
    }
    return payload;
  }

  it("pull_request.opened moves the branch's issue", async () => {
    await send(bed, "pull_request", aimed(example("pull_request", "opened")));
    expect(status(bed, key)).toBe("In progress");
  });

  it("pull_request_review.submitted: a comment review does nothing, an approval moves", async () => {
    const commented = aimed(example("pull_request_review", "submitted"));
    expect(commented.review.state).toBe("commented");
    commented.review.submitted_at = githubNow();
    await send(bed, "pull_request_review", commented);
    expect(status(bed, key)).toBe("Open");

    const approved = aimed(example("pull_request_review", "submitted"));
    approved.review.state = "approved";
    approved.review.submitted_at = githubNow();
    await send(bed, "pull_request_review", approved);
    expect(status(bed, key)).toBe("Ready for test");
  });

  it("pull_request.closed: unmerged goes to `closed`, merged to `merged`", async () => {
    await send(bed, "pull_request", aimed(example("pull_request", "opened")));
    const unmerged = aimed(example("pull_request", "closed"));
    unmerged.pull_request.closed_at = githubNow();
    await send(bed, "pull_request", unmerged);
    expect(status(bed, key)).toBe("Open");

    const merged = aimed(example("pull_request", "closed"));
    merged.pull_request.merged = true;
    merged.pull_request.merged_at = githubNow(1000);
    await send(bed, "pull_request", merged);
    expect(status(bed, key)).toBe("Closed");
  });

  it("issue_comment.created on a plain issue does nothing; on a PR it picks up new keys", async () => {
    const other = `PROJ-${900 + number}`;
    bed.tracker.createIssue(other);
    const onIssue = aimed(example("issue_comment", "created"));
    onIssue.comment.body = `see ${other}? no: fixes ${other}`;
    onIssue.issue.number = number;
    await send(bed, "issue_comment", onIssue);
    expect(bed.tracker.getIssue(other).status.display).toBe("Open");

    const onPr = aimed(example("issue_comment", "created"));
    onPr.issue = { ...onPr.issue, number, pull_request: { url: pr.url, html_url: pr.html_url } };
    onPr.comment.body = `This also fixes ${other}`;
    bed.github.addComment(bed.owner, bed.repo, number, {
      body: onPr.comment.body,
      user: "someone",
    });
    await send(bed, "issue_comment", onPr);
    expect(bed.tracker.getIssue(other).status.display).toBe("In progress");
  });

  it("deployment_status.created: success without a URL does nothing; with one, sets the bench field", async () => {
    bed.github.addCommit(bed.owner, bed.repo, number, {
      sha: pr.head.sha,
      message: `Deploy ${key}`,
    });
    const noUrl = aimed(
      example("deployment_status", "created", (p) => p.deployment_status.state === "success"),
    );
    noUrl.deployment = { ...noUrl.deployment, ref: pr.head.ref, sha: pr.head.sha };
    await send(bed, "deployment_status", noUrl);
    expect(bed.tracker.getIssue(key).fields.benchLink).toBeUndefined();

    const withUrl = aimed(
      example("deployment_status", "created", (p) => p.deployment_status.state === "success"),
    );
    withUrl.deployment = { ...withUrl.deployment, ref: pr.head.ref, sha: pr.head.sha };
    withUrl.deployment_status.environment_url = "https://pr-1.bench.example.com";
    await send(bed, "deployment_status", withUrl);
    expect(bed.tracker.getIssue(key).fields.benchLink).toBe("https://pr-1.bench.example.com");
  });
});
