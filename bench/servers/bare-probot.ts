/**
 * The floor: a bare Probot server of the same version with a no-op handler, on node:http
 * through Probot's own `createNodeMiddleware`. It verifies the signature and answers, as
 * any Probot app does; it stores nothing and does no work afterwards.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, createProbot } from "probot";
import { serveIpc } from "../lib/ipc.js";

const path = "/api/github/webhooks";
const probot = createProbot({ env: process.env });
const middleware = await createNodeMiddleware(
  (app) => {
    app.on("pull_request", async () => {});
  },
  { probot, webhooksPath: path },
);
const server = createServer((req, res) => {
  void middleware(req, res, () => {
    res.writeHead(404).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

// Exit on SIGTERM (not die of it) so that `--cpu-prof` gets to write its profile.
process.on("SIGTERM", () => process.exit(0));

serveIpc(
  {
    stats: () => ({ outstanding: 0, heapMb: process.memoryUsage().heapUsed / 1024 / 1024 }),
    close: () => {
      server.close();
      setImmediate(() => process.exit(0));
      return {};
    },
  },
  { port: (server.address() as AddressInfo).port, path },
);
