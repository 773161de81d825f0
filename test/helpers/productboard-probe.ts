/**
 * An action URL that answers Productboard's probe as the App does (the `validationToken`
 * echoed as text), for tests that register a plugin integration without the App running.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export async function startProbeAnswerer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? "/", "http://x").searchParams.get("validationToken") ?? "";
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(token);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plugin`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
