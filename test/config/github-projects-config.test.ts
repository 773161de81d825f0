/** A GitHub Projects connection from the environment and from the connections file: no token; its URL is the App's GitHub. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";

const BASE = { WEBHOOK_SECRET: "s" };

describe("GitHub Projects connections", () => {
  it("TRACKER_TYPE=github-projects takes the project and the status field, and nothing secret", () => {
    const config = loadServerConfig({
      ...BASE,
      TRACKER_TYPE: "github-projects",
      TRACKER_PROJECT: "https://github.com/orgs/acme/projects/3",
      TRACKER_STATUS_FIELD: "Stage",
    });
    expect(config.connections).toEqual([
      {
        name: "github-projects",
        type: "github-projects",
        url: "https://github.com",
        token: "",
        project: { owner: "acme", number: 3 },
        statusField: "Stage",
      },
    ]);
  });

  it("says what a project looks like when TRACKER_PROJECT is wrong or missing", () => {
    expect(() =>
      loadServerConfig({ ...BASE, TRACKER_TYPE: "github-projects", TRACKER_PROJECT: "acme" }),
    ).toThrow(
      'TRACKER_PROJECT: expected an organization project as acme/3 or https://github.com/orgs/acme/projects/3 (got "acme")',
    );
    expect(() => loadServerConfig({ ...BASE, TRACKER_TYPE: "github-projects" })).toThrow(
      "TRACKER_PROJECT",
    );
  });

  it("the connections file takes type: github-projects with categories, and refuses a token", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tb-ghp-"));
    const file = path.join(dir, "connections.yml");
    writeFileSync(
      file,
      `connections:
  roadmap:
    type: github-projects
    project: acme/7
    categories: { Shipped: done, Icebox: todo }
`,
    );
    expect(loadServerConfig({ ...BASE, TRACKBRIDGE_CONNECTIONS: file }).connections).toEqual([
      {
        name: "roadmap",
        type: "github-projects",
        url: "https://github.com",
        token: "",
        project: { owner: "acme", number: 7 },
        statusCategories: { Shipped: "done", Icebox: "todo" },
      },
    ]);
    writeFileSync(
      file,
      "connections:\n  roadmap: { type: github-projects, project: acme/7, token: { env: T } }\n",
    );
    expect(() => loadServerConfig({ ...BASE, TRACKBRIDGE_CONNECTIONS: file })).toThrow(/token/);
  });
});
