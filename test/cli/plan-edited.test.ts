/** `trackbridge plan` on an edited payload plans what the App does: only the keys the edit added. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

describe("trackbridge plan, edited", () => {
  it("moves only the key the edit added", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-plan-"));
    const payload = {
      action: "edited",
      changes: { body: { from: "Fixes PROJ-1" } },
      pull_request: {
        number: 7,
        html_url: "https://github.com/acme/web/pull/7",
        title: "Work",
        body: "Fixes PROJ-1 and PROJ-2",
        state: "open",
        draft: false,
        merged: false,
        updated_at: "2026-01-01T00:00:00Z",
        head: { ref: "main-work", sha: "a".repeat(40) },
      },
      repository: { name: "web", owner: { login: "acme" } },
      sender: { login: "alice", type: "User" },
    };
    writeFileSync(path.join(dir, "edited.json"), JSON.stringify(payload));
    writeFileSync(path.join(dir, "config.yml"), "statuses: { opened: inProgress }\n");
    let out = "";
    const stdout = new PassThrough().on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await runCli(
      [
        "node",
        "trackbridge",
        "plan",
        "--event",
        "pull_request",
        "--payload",
        path.join(dir, "edited.json"),
        "--config",
        path.join(dir, "config.yml"),
      ],
      { stdin: process.stdin, stdout, stderr: new PassThrough() } as never,
    );
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { actions: Array<{ kind: string; key: string }> };
    expect(plan.actions.map((a) => `${a.kind} ${a.key}`)).toEqual(["move PROJ-2", "link PROJ-2"]);
  });
});
