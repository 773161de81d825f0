/** `trackbridge plan` accepts the delivery-life events: create, push, deployment_status, release. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import examplesModule from "@octokit/webhooks-examples";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/types.js";
import { runInProcess } from "./helpers/run-in-process.js";

const examples = examplesModule as unknown as WebhookDefinition[];

/** A copy of GitHub's example payload, typed by the fields the test edits (`T`). */
function example<T>(
  name: string,
  pick: (payload: Record<string, unknown>) => boolean = () => true,
): T {
  const found = examples.find((d) => d.name === name)?.examples.find((e) => pick(e as never));
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found) as unknown as T;
}

const run = (args: string[]) => runInProcess(args);

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "plan-life-"));
  config = join(dir, "config.yml");
  await writeFile(
    config,
    `keys: { projects: [PROJ] }
statuses: { started: inProgress, released: released }
deployments: { "review/*": { field: reviewLink, status: inReview } }
release: { version: "{tag}", strip_v: true }
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function plan(event: string, payload: unknown, extra: string[] = []): Promise<Plan> {
  const file = join(dir, `${event}.json`);
  await writeFile(file, JSON.stringify(payload));
  const result = await run([
    "plan",
    "--event",
    event,
    "--payload",
    file,
    "--config",
    config,
    ...extra,
  ]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Plan;
}

describe("trackbridge plan: the delivery life", () => {
  it("create: the branch's key moves to statuses.started", async () => {
    // The examples are all tags; GitHub sends the same shape for a branch.
    const payload = example<{ ref: string; ref_type: string }>("create");
    payload.ref_type = "branch";
    payload.ref = "feature/PROJ-5-login";
    const result = await plan("create", payload);
    expect(result.actions).toMatchObject([
      { kind: "move", key: "PROJ-5", target: "inProgress", trigger: "started" },
    ]);
  });

  it("push: only the push that created the branch starts work", async () => {
    const payload = example<{ ref: string; created: boolean; deleted: boolean }>("push");
    payload.ref = "refs/heads/PROJ-6-x";
    payload.created = true;
    payload.deleted = false;
    expect((await plan("push", payload)).actions).toMatchObject([{ kind: "move", key: "PROJ-6" }]);
    payload.created = false;
    const later = await run([
      "plan",
      "--event",
      "push",
      "--payload",
      await save("later.json", payload),
      "--config",
      config,
    ]);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain("a later push: work started already");
  });

  it("deployment_status: the environment's rule, with commit messages from --commits", async () => {
    const payload = example<{
      deployment_status: { state: string; environment: string; environment_url: string };
      deployment: { ref: string };
    }>("deployment_status");
    payload.deployment_status.state = "success";
    payload.deployment_status.environment = "review/pr-9";
    payload.deployment_status.environment_url = "https://pr-9.example";
    payload.deployment.ref = "main";
    const commits = await save("commits.json", ["PROJ-9: search"]);
    const result = await plan("deployment_status", payload, ["--commits", commits]);
    expect(result.actions).toEqual([
      // The lifecycle the never-backwards rule reads: never back from the status a release
      // moves to, which comes after the deployed stage.
      {
        kind: "move",
        key: "PROJ-9",
        target: "inReview",
        trigger: "deployed",
        protect: [],
        statuses: { started: "inProgress", released: "released", deployed: ["inReview"] },
        reopen: false,
      },
      { kind: "set_field", key: "PROJ-9", field: "reviewLink", value: "https://pr-9.example" },
    ]);
  });

  it("release: the fix version from the tag, and the move to statuses.released", async () => {
    const payload = example<{ release: { tag_name: string; prerelease: boolean } }>(
      "release",
      (p) => p.action === "published",
    );
    payload.release.tag_name = "v2.1.0";
    payload.release.prerelease = false;
    const commits = await save("release-commits.json", ["PROJ-10: faster", "chore"]);
    const result = await plan("release", payload, ["--commits", commits]);
    expect(result.actions).toEqual([
      { kind: "fix_version", key: "PROJ-10", version: "2.1.0" },
      {
        kind: "move",
        key: "PROJ-10",
        target: "released",
        trigger: "released",
        protect: [],
        statuses: { started: "inProgress", released: "released", deployed: ["inReview"] },
        reopen: false,
      },
    ]);
  });
});

async function save(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}
