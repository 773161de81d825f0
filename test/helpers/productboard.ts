/**
 * Productboard as the tests' person sets it up: Public API calls made as the README's
 * registration step makes them (Bearer token, `X-Version: 1`), and an action URL that answers
 * Productboard's probe as the App does, for tests that register an integration without the App.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** Where the API is and the access token it takes: a simulator's url and its token. */
export interface ProductboardApi {
  url: string;
  token: string;
}

/** One Public API call; `headers` replace the defaults (a wrong token, no version). */
export function callProductboard(
  api: ProductboardApi,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      "x-version": "1",
      "content-type": "application/json",
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * `POST /plugin-integrations` with `{ data }`: the README's `type` and `name` unless given (a
 * field given as undefined is left out); the answer is left to the test.
 *
 * @example
 * const answer = await registerIntegration({ url: pb.url, token }, { action: { url, version: 1 } });
 * const { id } = ((await answer.json()) as { data: { id: string } }).data;
 */
export function registerIntegration(
  api: ProductboardApi,
  data: Record<string, unknown>,
): Promise<Response> {
  const readme = { type: "com.example.trackbridge", name: "trackbridge" };
  return callProductboard(api, "POST", "/plugin-integrations", { data: { ...readme, ...data } });
}

/**
 * An action URL that echoes the probe's `validationToken` as text, as the App does, and keeps
 * the `authorization` header of every POST (a button press) so a test can see what was sent.
 */
export async function startProbeAnswerer(): Promise<{
  url: string;
  /** The `authorization` header of each POST received, in order (undefined when absent). */
  pushAuthorizations: Array<string | undefined>;
  close(): Promise<void>;
}> {
  const pushAuthorizations: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    if (req.method === "POST") pushAuthorizations.push(req.headers.authorization);
    const token = new URL(req.url ?? "/", "http://x").searchParams.get("validationToken") ?? "";
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(token);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/plugin`,
    pushAuthorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
