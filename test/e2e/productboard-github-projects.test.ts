/**
 * Productboard features linked to the issues of a GitHub project, over real HTTP with the App
 * in process against the GitHub simulator (REST, the project's GraphQL) and the Productboard
 * simulator: a card a person drags on the board reaches the App as GitHub's signed
 * `projects_v2_item`, and the linked feature's status follows it through the status map; the
 * App's own move is followed once, and the `projects_v2_item` GitHub sends back for it adds no
 * Productboard request.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import {
  INSTALLATION_ID,
  startTestbed,
  type Testbed,
} from "../../src/simulators/scenario/testbed.js";
import { statusEdited } from "../helpers/project-item-example.js";
import { openPr, prEvent, send } from "./world.js";

const PB_TOKEN = "pb-token-0123456789abcdef";

function connectionsFile(productboard: string): string {
  return `connections:
  roadmap: { type: github-projects, project: acme/1 }
productboard:
  url: ${productboard}
  token: { env: PRODUCTBOARD_TOKEN }
  integration_id: 3b0a4c1e-5d2f-4e8a-9c7b-1f2e3d4c5b6a
  authorization: { env: PRODUCTBOARD_PLUGIN_SECRET }
  connection: roadmap
  project: WEB
  statuses:
    In Progress: In progress
    Done: Released
`;
}

describe("Productboard features follow the issues of a GitHub project", () => {
  let bed: Testbed;
  let pb: ProductboardSimulator;
  let dir: string;

  beforeAll(async () => {
    pb = await startProductboardSimulator({ token: PB_TOKEN });
    dir = mkdtempSync(path.join(tmpdir(), "trackbridge-pb-ghp-"));
    const file = path.join(dir, "connections.yml");
    writeFileSync(file, connectionsFile(pb.url));
    bed = await startTestbed({
      tracker: "github-projects",
      extraEnv: {
        TRACKER_TYPE: "",
        TRACKER_PROJECT: "",
        TRACKBRIDGE_CONNECTIONS: file,
        PRODUCTBOARD_TOKEN: PB_TOKEN,
        PRODUCTBOARD_PLUGIN_SECRET: "pb-plugin-secret-fedcba9876543210",
      },
    });
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
    await pb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A feature linked to `key`, as its push would have left it. */
  async function linkedFeature(key: string): Promise<string> {
    const { id } = pb.createFeature({ name: `Feature of ${key}` });
    const link = { connection: "roadmap", key, url: null, featureUrl: null };
    await bed.server!.store.ledger.linkFeature(id, link);
    return id;
  }
  const cardMoved = (key: string) =>
    send(bed, "projects_v2_item", statusEdited(bed.github, nodeId(key), INSTALLATION_ID));
  const nodeId = (key: string) => bed.github.projects.getIssue(key).id;
  const requestsSince = (mark: number) =>
    pb.requests.slice(mark).map((r) => `${r.method} ${r.path}`);

  it("a card moved by hand moves the linked feature's status through the map", async () => {
    bed.github.projects.createIssue("acme/web#30", { status: "In Progress" });
    const feature = await linkedFeature("acme/web#30");
    const mark = pb.requests.length;

    bed.github.projects.updateIssue("acme/web#30", { Status: "Done" });
    await cardMoved("acme/web#30");
    expect(pb.feature(feature).status.name).toBe("Released");
    expect(requestsSince(mark)).toEqual([`PATCH /features/${feature}`]);
  });

  it("the App's move is followed once: the projects_v2_item of that move adds no request", async () => {
    bed.github.projects.createIssue("acme/web#31", { status: "Todo" });
    const feature = await linkedFeature("acme/web#31");
    const mark = pb.requests.length;

    const pr = openPr(bed, { number: 5, branch: "search", title: "Search", body: "Closes #31" });
    await prEvent(bed, "opened", pr);
    expect(bed.github.projects.getIssue("acme/web#31").status).toBe("In Progress");
    expect(pb.feature(feature).status.name).toBe("In progress");

    // GitHub tells the App of the move it made itself.
    await cardMoved("acme/web#31");
    expect(requestsSince(mark)).toEqual([`PATCH /features/${feature}`]);
  });
});
