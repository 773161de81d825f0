/** `npm start`'s entry as a real process: setup flow without an App, clear errors on bad config. */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { startArgs, startEnv } from "../../scripts/start-command.js";
import { childEnv, freePort } from "../e2e/app-process.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function start(env: Record<string, string>) {
  // npm start's own command line: its V8 options must not keep the processing thread from starting.
  const child = spawn(process.execPath, startArgs(), {
    env: childEnv({ ...startEnv(), ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (text: string) => {
    while (!output.includes(text)) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

describe("npm start", () => {
  it("without APP_ID, serves Probot's setup flow that registers the App from app.yml", async () => {
    const port = await freePort();
    const app = start({ PORT: String(port), LOG_LEVEL: "info" });
    await app.waitFor("Listening on");
    const page = await fetch(`http://localhost:${port}/probot`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("trackbridge");
  });

  it("a bad tracker setting stops it with a message naming the variable", async () => {
    const app = start({
      APP_ID: "1",
      PRIVATE_KEY: "x",
      WEBHOOK_SECRET: "s",
      TRACKER_TYPE: "nope",
      TRACKER_URL: "https://x",
      TRACKER_TOKEN: "secret-token-77",
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/TRACKER_TYPE must be .*yandex.*jira.*got .*nope/);
    expect(app.output()).not.toContain("secret-token-77");
  });
});
