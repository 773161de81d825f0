/**
 * Telegram, through the Bot API over plain HTTP: `POST {root}/bot<token>/sendMessage` with
 * `chat_id` and `text` (no `parse_mode`: plain text needs no escaping). Every answer is JSON:
 * `{"ok":true,"result":…}` or `{"ok":false,"error_code":429,"description":"Too Many
 * Requests: retry after 34","parameters":{"retry_after":34}}`. Flood control's wait is in
 * `parameters.retry_after` (seconds), not a header. The URL holds the token: it is never
 * put in an error message.
 */
import { kindForStatus, TrackerError, type TrackerErrorKind } from "../trackers/errors.js";
import type { NotifyChannel } from "./channel.js";
import type { Notifier, NotifierOptions } from "./notifier.js";

type TelegramChannel = Extract<NotifyChannel, { type: "telegram" }>;

interface BotAnswer {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export function telegramNotifier(channel: TelegramChannel, options: NotifierOptions): Notifier {
  const url = `${channel.apiRoot.replace(/\/+$/, "")}/bot${channel.token}/sendMessage`;
  return {
    async send(text) {
      let response: Response;
      try {
        response = await options.fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chat_id: channel.chatId, text }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw failure(channel.name, "network", "Bot API unreachable", {}, error);
      }
      const answer = (await response.json().catch(() => ({}))) as BotAnswer;
      if (response.ok && answer.ok) return;
      const status = answer.error_code ?? response.status;
      const description = (answer.description ?? response.statusText).slice(0, 200);
      const retryAfter = answer.parameters?.retry_after;
      throw failure(
        channel.name,
        kindForStatus(status),
        `sendMessage answered ${status} ${description}`,
        {
          status,
          ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
        },
      );
    },
  };
}

function failure(
  name: string,
  kind: TrackerErrorKind,
  what: string,
  details: { status?: number; retryAfterMs?: number },
  cause?: unknown,
): TrackerError {
  const hint =
    kind === "auth" || kind === "not_found"
      ? ": the bot token is wrong or revoked; fix the server's channel config"
      : kind === "invalid" || kind === "forbidden"
        ? ": check the channel's chat_id and that the bot is a member of the chat"
        : "";
  return new TrackerError(kind, `Telegram channel "${name}": ${what}${hint}`, {
    connection: name,
    ...details,
    cause,
  });
}
