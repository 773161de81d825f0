/**
 * A Slack simulator on loopback: incoming webhooks (`POST /services/T…/B…/<secret>`) and the
 * Web API's `chat.postMessage` (`POST /api/chat.postMessage`, Bearer token, JSON or form).
 * It answers as Slack does: a webhook with plain text (`ok`, 403 `invalid_token`,
 * 404 `no_service`, 400 `no_text`), the Web API with 200 `{"ok":false,"error":"invalid_auth"}`
 * (`channel_not_found`, `no_text`), and both with 429 + `Retry-After` when rate-limited.
 *
 * @example
 * const slack = await startSlackSimulator({ token: "xoxb-…", channels: ["C0TEAM"] });
 * // channel: { type: "slack", webhookUrl: slack.webhookUrl } or { token, channel: "C0TEAM", apiUrl: slack.apiUrl }
 * slack.rateLimit(1, 2); // the next send answers 429, Retry-After: 2
 */
import { randomBytes } from "node:crypto";
import {
  type MessengerSimulator,
  messengerAdmin,
  type ReceivedMessage,
} from "../messenger/received.js";
import { type SimReply, type SimRequest, startHttpSimulator } from "../shared/http-server.js";

export interface SlackSimulatorOptions {
  /** The bot token chat.postMessage accepts. */
  token: string;
  /** Channel ids the bot may post to; the webhook posts to the first. */
  channels?: string[];
  port?: number;
}

export type SlackSimulator = MessengerSimulator & {
  /** The incoming webhook's URL: its last segment is the secret. */
  readonly webhookUrl: string;
  /** Slack's Web API root (`slackApiUrl`), ending in `/api/`. */
  readonly apiUrl: string;
};

const WEBHOOK_PREFIX = "/services/";

export async function startSlackSimulator(options: SlackSimulatorOptions): Promise<SlackSimulator> {
  const channels = options.channels ?? ["C0TEAM"];
  const hookPath = `${WEBHOOK_PREFIX}T0SIM/B0SIM/${randomBytes(12).toString("hex")}`;
  const messages: ReceivedMessage[] = [];

  const textOf = (body: unknown) => {
    const { text, blocks } = (body ?? {}) as { text?: unknown; blocks?: unknown };
    return typeof text === "string" && text !== "" ? text : blocks ? "[blocks]" : null;
  };

  const webhook = (req: SimRequest): SimReply => {
    if (req.path !== hookPath) {
      return req.path.startsWith(WEBHOOK_PREFIX)
        ? { status: 403, body: "invalid_token" }
        : { status: 404, body: "no_service" };
    }
    const text = textOf(req.body);
    if (text === null) return { status: 400, body: "no_text" };
    messages.push({ chat: channels[0]!, text, at: Date.now() });
    return { status: 200, body: "ok" };
  };

  const postMessage = (req: SimRequest): SimReply => {
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${options.token}`) {
      return { status: 200, body: { ok: false, error: auth ? "invalid_auth" : "not_authed" } };
    }
    const { channel } = (req.body ?? {}) as { channel?: string };
    if (!channel || !channels.includes(channel))
      return { status: 200, body: { ok: false, error: "channel_not_found" } };
    const text = textOf(req.body);
    if (text === null) return { status: 200, body: { ok: false, error: "no_text" } };
    const ts = `${(Date.now() / 1000).toFixed(6)}`;
    messages.push({ chat: channel, text, at: Date.now() });
    return { status: 200, body: { ok: true, channel, ts, message: { type: "message", text, ts } } };
  };

  const http = await startHttpSimulator({
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle: (req) => {
      if (req.method === "POST" && req.path.startsWith(WEBHOOK_PREFIX)) return webhook(req);
      if (req.method === "POST" && req.path === "/api/chat.postMessage") return postMessage(req);
      return { status: 404, body: { ok: false, error: "unknown_method" } };
    },
    errorBody: (status) => ({ ok: false, error: status === 429 ? "ratelimited" : "fatal_error" }),
  });

  const admin = messengerAdmin(http, messages, (count, seconds) => ({
    status: 429,
    count,
    retryAfterSeconds: seconds,
    method: "POST",
    // A webhook's 429 is plain text like its other answers; the Web API's is JSON.
    body: "rate_limited",
  }));
  return Object.assign(admin, {
    webhookUrl: `${http.url}${hookPath}`,
    apiUrl: `${http.url}/api/`,
  });
}
