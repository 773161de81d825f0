/**
 * A Telegram Bot API simulator on loopback: `POST /bot<token>/sendMessage`. Every answer is
 * the Bot API's JSON: `{"ok":true,"result":{…}}`, 401 `Unauthorized` for a wrong token,
 * 400 `Bad Request: chat not found`, and flood control as 429 with
 * `{"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}}` and no
 * `Retry-After` header, so a client must read the body's wait.
 *
 * @example
 * const telegram = await startTelegramSimulator({ token: "123:abc", chats: ["-1001"] });
 * // channel: { type: "telegram", token: "123:abc", chatId: "-1001", apiRoot: telegram.url }
 * telegram.rateLimit(1, 2);
 */

import {
  type MessengerSimulator,
  messengerAdmin,
  type ReceivedMessage,
} from "../messenger/received.js";
import { type SimReply, startHttpSimulator } from "../shared/http-server.js";

export interface TelegramSimulatorOptions {
  token: string;
  /** Chat ids the bot is a member of. */
  chats?: string[];
  port?: number;
}

export type TelegramSimulator = MessengerSimulator;

const error = (code: number, description: string, parameters?: object): SimReply => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
});

export async function startTelegramSimulator(
  options: TelegramSimulatorOptions,
): Promise<TelegramSimulator> {
  const chats = options.chats ?? ["-1001"];
  const messages: ReceivedMessage[] = [];
  let messageId = 0;
  const http = await startHttpSimulator({
    ...(options.port !== undefined ? { port: options.port } : {}),
    handle: (req) => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
      if (!match) return error(404, "Not Found");
      if (decodeURIComponent(match[1]!) !== options.token) return error(401, "Unauthorized");
      if (match[2] !== "sendMessage") return error(404, "Not Found: method not found");
      const { chat_id, text } = (req.body ?? {}) as { chat_id?: unknown; text?: unknown };
      if (chat_id === undefined || !chats.includes(String(chat_id)))
        return error(400, "Bad Request: chat not found");
      if (typeof text !== "string" || text.trim() === "")
        return error(400, "Bad Request: message text is empty");
      messages.push({ chat: String(chat_id), text, at: Date.now() });
      messageId += 1;
      const date = Math.floor(Date.now() / 1000);
      return {
        status: 200,
        body: {
          ok: true,
          result: { message_id: messageId, chat: { id: Number(chat_id) }, date, text },
        },
      };
    },
    errorBody: (status, message) => error(status, message).body as object,
  });
  return messengerAdmin(http, messages, (count, seconds) => ({
    status: 429,
    count,
    method: "POST",
    body: error(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds })
      .body as object,
  }));
}
