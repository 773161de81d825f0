/** Sign-in with the console token, the session cookie, CSRF on every write, and sign-out. */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig, ServerConfigError } from "../../src/config/server-config.js";
import type { Testbed } from "../../src/simulators/scenario/testbed.js";
import {
  CONSOLE_TOKEN,
  cookiesOf,
  failUntilDead,
  OAUTH,
  postForm,
  signInWithToken,
  startConsoleBed,
} from "./helpers.js";

let bed: Testbed;
beforeAll(async () => {
  bed = await startConsoleBed({ workerPolicy: { maxAttempts: 2 } });
  await failUntilDead(bed);
});
afterAll(() => bed.close());

async function deadIds(): Promise<number[]> {
  const response = await fetch(`${bed.server!.url}/console/api/dead-letters`, {
    headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
  });
  return ((await response.json()) as { jobs: Array<{ id: number }> }).jobs.map((job) => job.id);
}

describe("console sessions", () => {
  it("sets an HttpOnly, SameSite=Strict session cookie; Secure behind https", async () => {
    const base = bed.server!.url;
    for (const [headers, secure] of [
      [{}, false],
      [{ "x-forwarded-proto": "https" }, true],
    ] as const) {
      const form = await fetch(`${base}/console/login`, { headers });
      const nonce = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!;
      const answer = await fetch(`${base}/console/login`, {
        method: "POST",
        redirect: "manual",
        headers: {
          ...headers,
          cookie: `tb_login=${cookiesOf(form).tb_login}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ _login: nonce, token: CONSOLE_TOKEN }),
      });
      const line = answer.headers.getSetCookie().find((c) => c.startsWith("tb_session="))!;
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Strict/);
      expect(/; Secure/.test(line)).toBe(secure);
    }
  });

  it("refuses a wrong token and a sign-in form that did not come from the console", async () => {
    await expect(signInWithToken(bed, "x".repeat(40))).rejects.toThrow(/sign-in failed: 401/);
    const forged = await fetch(`${bed.server!.url}/console/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _login: "guess", token: CONSOLE_TOKEN }),
    });
    expect(forged.status).toBe(403);
    expect(cookiesOf(forged).tb_session).toBeUndefined();
  });

  it("refuses every write without the session's CSRF token, and does nothing", async () => {
    const session = await signInWithToken(bed);
    const [id] = await deadIds();
    const writes: Array<[string, Array<[string, string]>]> = [
      ["/console/dead-letters/retry", [["only", String(id)]]],
      [
        "/console/dead-letters/discard",
        [
          ["id", String(id)],
          ["confirm", "yes"],
        ],
      ],
      ["/console/deliveries/retry", [["delivery", "x"]]],
      ["/console/connections/yandex/test", []],
      ["/console/logout", []],
    ];
    for (const [path, fields] of writes) {
      for (const csrf of [null, "wrong-token", ""]) {
        const response = await postForm(bed, path, session, fields, csrf);
        expect(response.status, `${path} csrf=${csrf}`).toBe(403);
      }
    }
    const api = await fetch(`${bed.server!.url}/console/api/dead-letters/retry`, {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/json" },
      body: JSON.stringify({ ids: [id] }),
    });
    expect(api.status).toBe(403);
    expect(await deadIds()).toContain(id);
    // Still signed in: the refused sign-out did not end the session.
    const page = await fetch(`${bed.server!.url}/console/overview`, {
      headers: { cookie: session.cookie },
      redirect: "manual",
    });
    expect(page.status).toBe(200);
  });

  it("accepts the token in a header for the JSON API, and audits the write", async () => {
    const session = await signInWithToken(bed);
    const [id] = await deadIds();
    bed.tracker.clearFaults();
    const api = await fetch(`${bed.server!.url}/console/api/dead-letters/retry`, {
      method: "POST",
      headers: {
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
        "content-type": "application/json",
      },
      body: JSON.stringify({ ids: [id] }),
    });
    expect(await api.json()).toEqual({ retried: [id] });
    const audit = await fetch(`${bed.server!.url}/console/api/audit`, {
      headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
    });
    const entries = (await audit.json()) as Array<{ action: string; target: string }>;
    expect(entries).toContainEqual(
      expect.objectContaining({ action: "retry", target: `job ${id}` }),
    );
  });

  it("signs out: the cookie no longer opens a page", async () => {
    const session = await signInWithToken(bed);
    const out = await postForm(bed, "/console/logout", session, []);
    expect(out.status).toBe(303);
    const page = await fetch(`${bed.server!.url}/console/overview`, {
      headers: { cookie: session.cookie },
      redirect: "manual",
    });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/console/login");
  });
});

describe("console configuration", () => {
  it("refuses a console token shorter than 32 characters, and half an OAuth client", () => {
    expect(() => loadServerConfig({ TRACKBRIDGE_CONSOLE_TOKEN: "short" })).toThrow(
      ServerConfigError,
    );
    expect(() => loadServerConfig({ TRACKBRIDGE_CONSOLE_TOKEN: "short" })).toThrow(/32 characters/);
    expect(() => loadServerConfig({ GITHUB_CLIENT_ID: "Iv1.x" })).toThrow(/go together/);
    const config = loadServerConfig({ TRACKBRIDGE_CONSOLE_ADMINS: "Alice, bob" });
    expect(config.console.admins).toEqual(["alice", "bob"]);
  });
});

describe("console secrets", () => {
  it("never prints the console token, the OAuth client secret or the metrics token in a log line", async () => {
    const lines: string[] = [];
    const capture = new PassThrough();
    capture.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));
    const metricsToken = "metrics-token-0123456789abcdef";
    const own = await startConsoleBed({
      logLevel: "debug",
      logDestination: capture,
      extraEnv: { TRACKBRIDGE_METRICS_TOKEN: metricsToken },
    });
    try {
      own.github.configureOAuth(OAUTH);
      await signInWithToken(own);
      await expect(signInWithToken(own, `${CONSOLE_TOKEN}x`)).rejects.toThrow(/401/);
      await fetch(`${own.server!.url}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      // Whatever a handler might log about a request, the logger strips the secrets.
      own.log.warn({ header: `Bearer ${CONSOLE_TOKEN}`, secret: OAUTH.clientSecret }, metricsToken);
      const text = lines.join("");
      expect(text).toContain("Bearer [REDACTED]");
      for (const secret of [CONSOLE_TOKEN, OAUTH.clientSecret, metricsToken]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await own.close();
    }
  });
});
