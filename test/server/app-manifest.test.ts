/** The App's manifest (app.yml) asks for what the App uses, GitHub Projects included. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};

describe("app.yml", () => {
  it("asks for Projects read & write on the organization, for github-projects connections", () => {
    expect(manifest.default_permissions.organization_projects).toBe("write");
  });

  it("subscribes to projects_v2_item: a project's Status change reaches the App as it happens", () => {
    expect(manifest.default_events).toContain("projects_v2_item");
  });

  it("asks no more than reading for what the App only reads", () => {
    expect(manifest.default_permissions).toMatchObject({
      checks: "write",
      contents: "read",
      pull_requests: "read",
      issues: "read",
      metadata: "read",
    });
  });
});
