/** Shared setup for the GitHub simulator tests: an app key pair, Probot's Octokit, a webhook receiver. */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";

export const APP_ID = 4242;

/** PKCS#1 PEM, the format GitHub hands out for app private keys. */
export function appKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Probot's Octokit as the App builds it: app auth, optionally bound to an installation. */
export function probotOctokit(input: {
  baseUrl: string;
  privateKey: string;
  installationId?: number;
}) {
  return new ProbotOctokit({
    baseUrl: input.baseUrl,
    auth: {
      appId: APP_ID,
      privateKey: input.privateKey,
      ...(input.installationId ? { installationId: input.installationId } : {}),
    },
    log: silent,
    throttle: { enabled: false },
    retry: { enabled: false },
  });
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers every POST with `status`. */
export async function startReceiver(status = 200) {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
