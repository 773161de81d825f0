/**
 * Slack, through Slack's own clients: `@slack/webhook` for an incoming webhook, `@slack/web-api`
 * (chat.postMessage) for a bot token. Both are told not to retry: the outbox retries, and a
 * 429 must come back here with its `Retry-After` so that the channel's hold is shared.
 *
 * Errors (Slack's words): a webhook answers 403 `invalid_token`, 404 `no_service`,
 * 404 `channel_not_found`, 410 `channel_is_archived`, 400 `invalid_payload` as plain text;
 * the Web API answers 200 `{"ok":false,"error":"invalid_auth"}` (or `channel_not_found`,
 * `not_in_channel`, …). Both answer 429 with `Retry-After: <seconds>` when rate-limited.
 */
import {
  ErrorCode as ApiErrorCode,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from "@slack/web-api";
import { IncomingWebhook, IncomingWebhookHTTPError } from "@slack/webhook";
import {
  kindForStatus,
  retryAfterMs,
  TrackerError,
  type TrackerErrorKind,
} from "../trackers/errors.js";
import type { NotifyChannel } from "./channel.js";
import type { Notifier, NotifierOptions } from "./notifier.js";

type SlackChannel = Extract<NotifyChannel, { type: "slack" }>;

export function slackNotifier(channel: SlackChannel, options: NotifierOptions): Notifier {
  return "webhookUrl" in channel
    ? webhookNotifier(channel.name, channel.webhookUrl, options)
    : apiNotifier(channel as Extract<SlackChannel, { token: string }>, options);
}

function webhookNotifier(name: string, url: string, options: NotifierOptions): Notifier {
  return {
    async send(text) {
      // The client's error carries the status and body but not the headers: keep Retry-After.
      let wait: number | undefined;
      const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
        const response = await options.fetch(input, init);
        wait = retryAfterMs(response.headers, Date.now());
        return response;
      };
      const webhook = new IncomingWebhook(url, { timeout: options.timeoutMs, fetch: fetchFn });
      try {
        await webhook.send({ text });
      } catch (error) {
        if (error instanceof IncomingWebhookHTTPError) {
          const reason =
            String(error.body ?? "")
              .trim()
              .slice(0, 200) || error.statusMessage;
          throw failure(
            name,
            kindForStatus(error.statusCode),
            `webhook answered ${error.statusCode} ${reason}`,
            {
              status: error.statusCode,
              retryAfterMs: wait,
              cause: error,
            },
          );
        }
        throw failure(name, "network", "webhook unreachable", { cause: error });
      }
    },
  };
}

/** Platform errors that mean the token or the channel is wrong: retrying cannot help. */
const PERMANENT: Record<string, TrackerErrorKind> = {
  invalid_auth: "auth",
  not_authed: "auth",
  account_inactive: "auth",
  token_revoked: "auth",
  token_expired: "auth",
  missing_scope: "forbidden",
  channel_not_found: "not_found",
  not_in_channel: "forbidden",
  is_archived: "invalid",
  msg_too_long: "invalid",
  no_text: "invalid",
  invalid_arguments: "invalid",
};

function apiNotifier(
  channel: Extract<SlackChannel, { token: string }>,
  options: NotifierOptions,
): Notifier {
  const client = new WebClient(channel.token, {
    slackApiUrl: channel.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
    // The client's own console logger would print outside the server's scrubbed log: failures
    // come back as errors and the worker logs them.
    logger: SILENT,
    fetch: options.fetch as never,
  });
  return {
    async send(text) {
      try {
        await client.chat.postMessage({ channel: channel.channel, text });
      } catch (error) {
        throw apiFailure(channel.name, error);
      }
    },
  };
}

const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function apiFailure(name: string, error: unknown): TrackerError {
  if (error instanceof WebAPIRateLimitedError) {
    return failure(name, "rate_limited", "rate limited", {
      status: 429,
      retryAfterMs: error.retryAfter * 1000,
      cause: error,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const kind = code === "ratelimited" ? "rate_limited" : (PERMANENT[code] ?? "server");
    return failure(name, kind, `chat.postMessage answered ${code}`, { cause: error });
  }
  if (error instanceof WebAPIHTTPError) {
    const wait = retryAfterMs(new Headers(error.headers), Date.now());
    return failure(
      name,
      kindForStatus(error.statusCode),
      `chat.postMessage answered ${error.statusCode}`,
      {
        status: error.statusCode,
        retryAfterMs: wait,
        cause: error,
      },
    );
  }
  const code = (error as { code?: string }).code;
  const kind = code === ApiErrorCode.RequestError ? "network" : "server";
  return failure(name, kind, "chat.postMessage failed", { cause: error });
}

/** A typed failure whose message names the channel and what to do, never the credential. */
function failure(
  name: string,
  kind: TrackerErrorKind,
  what: string,
  details: { status?: number; retryAfterMs?: number | undefined; cause?: unknown },
): TrackerError {
  const hint =
    kind === "auth" || kind === "forbidden" || kind === "not_found"
      ? ": the channel's webhook URL or token is wrong or revoked, or the bot is not in the channel; fix the server's channel config"
      : "";
  return new TrackerError(kind, `Slack channel "${name}": ${what}${hint}`, {
    connection: name,
    ...(details.status !== undefined ? { status: details.status } : {}),
    ...(details.retryAfterMs !== undefined ? { retryAfterMs: details.retryAfterMs } : {}),
    cause: details.cause,
  });
}
