/**
 * A GitHub App as the CLI tests (doctor, init) run it: a fresh key pair, the GitHub simulator
 * with acme/web installed, the private key in a file of a temporary folder, and the App's
 * environment pointing at the simulator. The tests add their tracker's variables to `env`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { appKeyPair } from "../simulators/github-fixtures.js";

export interface GitHubAppSetup {
  github: GitHubSimulator;
  /** The temporary folder: app.pem, and whatever the test writes next to it. */
  dir: string;
  privateKey: string;
  /** APP_ID, PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, TRACKBRIDGE_DB. */
  env: Record<string, string>;
  /** The PEM's body lines: what no output may contain. */
  pemLines(): string[];
  close(): Promise<void>;
}

export async function startGitHubApp(options: {
  appId: number;
  webhookSecret: string;
  /** The temporary folder's name starts with this. */
  prefix: string;
}): Promise<GitHubAppSetup> {
  const { privateKey, publicKey } = appKeyPair();
  const github = await startGitHubSimulator({ appId: options.appId, publicKey });
  github.addRepo({ owner: "acme", name: "web", installationId: 7 });
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix));
  writeFileSync(path.join(dir, "app.pem"), privateKey);
  return {
    github,
    dir,
    privateKey,
    env: {
      APP_ID: String(options.appId),
      PRIVATE_KEY_PATH: path.join(dir, "app.pem"),
      WEBHOOK_SECRET: options.webhookSecret,
      GHE_HOST: new URL(github.url).host,
      GHE_PROTOCOL: "http",
      TRACKBRIDGE_DB: path.join(dir, "data", "trackbridge.db"),
    },
    pemLines: () =>
      privateKey.split("\n").filter((line) => line.length >= 16 && !line.startsWith("-----")),
    async close() {
      await github.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
