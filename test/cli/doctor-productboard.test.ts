/**
 * `trackbridge doctor` on a connections file with a `productboard:` section, against the
 * GitHub, Jira and Productboard simulators: the token is accepted and the integration exists;
 * a wrong token, an unknown integration id, one Productboard refuses (400), an unset token
 * variable, a connection the server does not have and a disabled integration each fail (or
 * warn) on their own line with a fix, while the tracker is still checked. No run prints the token or the plugin's authorization.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DoctorCheck } from "../../src/doctor/check.js";
import { type JiraSimulator, startJiraSimulator } from "../../src/simulators/jira/index.js";
import {
  type ProductboardSimulator,
  startProductboardSimulator,
} from "../../src/simulators/productboard/index.js";
import { type GitHubAppSetup, startGitHubApp } from "../helpers/github-app.js";
import { registerIntegration, startProbeAnswerer } from "../helpers/productboard.js";
import { runDoctor } from "./helpers/doctor.js";

const PB_TOKEN = "pb-doctor-token-0123456789abcdef";
const WRONG_TOKEN = "pb-wrong-token-fedcba9876543210";
const PLUGIN_SECRET = "pb-doctor-plugin-secret-13579bdf";
const JIRA_TOKEN = "ATATT-doctor-pb-jira-token-0002";

let app: GitHubAppSetup;
let jira: JiraSimulator;
let pb: ProductboardSimulator;
let integration: string;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startGitHubApp({
    appId: 4242,
    webhookSecret: "doctor-pb-webhook-secret-0003",
    prefix: "trackbridge-doctor-pb-",
  });
  jira = await startJiraSimulator({ email: "bot@acme.test", token: JIRA_TOKEN, apiVersion: 3 });
  pb = await startProductboardSimulator({ token: PB_TOKEN });
  const probe = await startProbeAnswerer();
  integration = (await pb.createIntegration({ url: probe.url, authorization: PLUGIN_SECRET })).id;
  await probe.close();
  env = {
    ...app.env,
    TRACKER_TYPE: "jira",
    TRACKER_URL: jira.url,
    TRACKER_TOKEN: JIRA_TOKEN,
    TRACKER_EMAIL: "bot@acme.test",
    TRACKBRIDGE_CONNECTIONS: connectionsFile("pb.yml"),
    PRODUCTBOARD_TOKEN: PB_TOKEN,
    PRODUCTBOARD_PLUGIN_SECRET: PLUGIN_SECRET,
  };
});
afterEach(() => pb.clearFaults());
afterAll(() => Promise.all([app.close(), jira.close(), pb.close()]));

/** A connections file of only a productboard section, for the env's Jira connection. */
function connectionsFile(
  name: string,
  fields: { integration?: string; connection?: string; url?: string; notify?: string } = {},
) {
  const file = path.join(app.dir, name);
  writeFileSync(
    file,
    `productboard:
  url: ${fields.url ?? pb.url}
  token: { env: PRODUCTBOARD_TOKEN }
  integration_id: ${fields.integration ?? integration}
  authorization: { env: PRODUCTBOARD_PLUGIN_SECRET }
  connection: ${fields.connection ?? "jira"}
  project: PROJ
${fields.notify ? `  notify: [{ channel: ${fields.notify}, on: [created] }]\n` : ""}`,
  );
  return file;
}

async function doctor(overrides: Record<string, string | undefined> = {}) {
  const secrets = [PB_TOKEN, WRONG_TOKEN, PLUGIN_SECRET, JIRA_TOKEN];
  const result = await runDoctor({ ...env, ...overrides }, secrets);
  const productboard = result.checks.filter((c) => c.name.startsWith("productboard: "));
  return { ...result, productboard };
}

const statuses = (checks: DoctorCheck[]) => checks.map((c) => [c.name, c.status]);

describe("trackbridge doctor on the productboard section", () => {
  it("accepts the token and finds the integration", async () => {
    pb.resetRequests();
    const result = await doctor();
    expect(result.code).toBe(0);
    expect(statuses(result.productboard)).toEqual([
      ["productboard: reachable", "ok"],
      ["productboard: token", "ok"],
      ["productboard: integration", "ok"],
      ["productboard: authorization", "ok"],
      ["productboard: connection", "ok"],
    ]);
    expect(result.human).toContain(
      "✓ productboard: token: accepted (read from environment variable PRODUCTBOARD_TOKEN)",
    );
    expect(result.human).toContain(`✓ productboard: integration: ${integration} ("trackbridge")`);
    expect(result.human).toContain(
      '✓ productboard: connection: pushed features become issues of PROJ in "jira"',
    );
    // One cheap request a run (--json, then the human one): the integration, read with the token.
    const read = `GET /plugin-integrations/${integration}`;
    expect(pb.requests.map((r) => `${r.method} ${r.path}`)).toEqual([read, read]);
  });

  it("says how to fix a token Productboard refuses", async () => {
    const result = await doctor({ PRODUCTBOARD_TOKEN: WRONG_TOKEN });
    expect(result.code).toBe(1);
    expect(result.check("productboard: token")).toMatchObject({
      status: "fail",
      detail:
        "Productboard refused the token read from environment variable PRODUCTBOARD_TOKEN (401)",
    });
    expect(result.check("productboard: token").fix).toContain("Public API access token");
    expect(result.check("productboard: integration").status).toBe("skip");
    expect(result.check("tracker jira: token").status).toBe("ok");
  });

  it("says which integration id Productboard does not know", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const result = await doctor({
      TRACKBRIDGE_CONNECTIONS: connectionsFile("unknown.yml", { integration: unknown }),
    });
    expect(result.code).toBe(1);
    expect(result.check("productboard: token").status).toBe("ok");
    expect(result.check("productboard: integration")).toMatchObject({
      status: "fail",
      detail: `Productboard has no plugin integration ${unknown}`,
    });
    expect(result.check("productboard: integration").fix).toMatch(
      /productboard\.integration_id .*POST \/plugin-integrations/,
    );
  });

  it("names the integration id when Productboard refuses it with a 400", async () => {
    const garbage = "not-a-uuid";
    // Productboard's pages type the id as a UUID and list validation.* errors, but do not say
    // which status a malformed one gets, so the simulator does not claim it: the test injects it.
    pb.injectFaults({
      status: 400,
      count: 2, // the --json run and the human one
      pathIncludes: `/plugin-integrations/${garbage}`,
      body: {
        errors: [
          {
            code: "validation.path",
            title: "Bad Request",
            detail: `id ${garbage} is no UUID (Bearer ${PB_TOKEN})`,
          },
        ],
      },
    });
    const result = await doctor({
      TRACKBRIDGE_CONNECTIONS: connectionsFile("garbage.yml", { integration: garbage }),
    });
    expect(result.code).toBe(1);
    expect(result.check("productboard: reachable").status).toBe("ok");
    expect(result.check("productboard: token").status).toBe("ok");
    const line = result.check("productboard: integration");
    expect(line.status).toBe("fail");
    expect(line.detail).toContain(`plugin integration ${garbage}`);
    expect(line.detail).toContain(`id ${garbage} is no UUID`);
    expect(line.fix).toContain("productboard.integration_id");
  });

  it("names a url that carries a user and password first, and never calls it", async () => {
    const password = "pb-url-password-2468ace";
    const withCredentials = pb.url.replace("http://", `http://bridge:${password}@`);
    pb.resetRequests();
    const result = await doctor({
      TRACKBRIDGE_CONNECTIONS: connectionsFile("credentials.yml", { url: withCredentials }),
    });
    expect(result.code).toBe(1);
    expect(result.productboard[0]).toMatchObject({
      name: "productboard: url",
      status: "fail",
      detail: "productboard.url must not carry a user or password",
    });
    expect(result.productboard[0]?.fix).toContain("productboard.url");
    // Named once: the loader's copy of the rule adds no "configuration" line.
    expect(statuses(result.productboard)).toEqual([
      ["productboard: url", "fail"],
      ["productboard: token", "skip"],
      ["productboard: integration", "skip"],
      ["productboard: authorization", "ok"],
      ["productboard: connection", "ok"],
    ]);
    expect(JSON.stringify(result.productboard) + result.human).not.toContain(password);
    expect(pb.requests).toEqual([]);
  });

  it("reports an unset token variable, an unknown connection and channel without hiding the tracker", async () => {
    const result = await doctor({
      PRODUCTBOARD_TOKEN: undefined,
      TRACKBRIDGE_CONNECTIONS: connectionsFile("nowhere.yml", {
        connection: "nowhere",
        notify: "team",
      }),
    });
    expect(result.code).toBe(1);
    expect(result.check("configuration").status).toBe("ok");
    expect(result.check("tracker jira: token").status).toBe("ok");
    expect(result.check("productboard: token")).toMatchObject({
      status: "fail",
      detail: "productboard token: environment variable PRODUCTBOARD_TOKEN is not set",
    });
    expect(result.check("productboard: token").fix).toContain(
      "in environment variable PRODUCTBOARD_TOKEN",
    );
    expect(result.check("productboard: connection")).toMatchObject({
      status: "fail",
      detail: 'productboard.connection: no tracker connection named "nowhere" (have: jira)',
    });
    // Every rule the loader has is a line of its own, not only the first it would throw.
    expect(result.check("productboard: notify")).toMatchObject({
      status: "fail",
      detail: 'productboard.notify: no channel named "team" (have: none)',
    });
  });

  it("blanks both secrets from what Productboard echoes", async () => {
    pb.injectFaults({
      status: 500,
      count: 2, // the --json run and the human one
      body: { message: `upstream saw Bearer ${PB_TOKEN} and ${PLUGIN_SECRET}` },
    });
    const result = await doctor();
    expect(result.code).toBe(1);
    const { status, detail, fix } = result.check("productboard: reachable");
    expect(status).toBe("fail");
    expect(fix).toMatch(/server error/);
    // What Productboard said reaches the line, with both secrets blanked out of it.
    expect(detail).toContain("upstream saw Bearer [REDACTED] and [REDACTED]");
  });

  it("warns of an integration created disabled (no button to press)", async () => {
    const created = await registerIntegration(
      { url: pb.url, token: PB_TOKEN },
      {
        name: "staged",
        integrationStatus: "disabled",
        action: { url: "https://bridge.example.com/api/productboard/plugin", version: 1 },
      },
    );
    expect(created.status).toBe(201);
    const { id } = ((await created.json()) as { data: { id: string } }).data;
    const result = await doctor({
      TRACKBRIDGE_CONNECTIONS: connectionsFile("disabled.yml", { integration: id }),
    });
    expect(result.code).toBe(0);
    expect(result.check("productboard: integration")).toMatchObject({ status: "warn" });
    expect(result.check("productboard: integration").fix).toContain(
      '"integrationStatus":"enabled"',
    );
  });
});
