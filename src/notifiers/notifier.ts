/**
 * The notifier port: one message to one channel. A send costs one request. It throws a
 * `TrackerError` (the one classifier the worker knows): `rate_limited` with the wait the
 * service asked for, `server`/`network` to retry, anything else is permanent.
 *
 * @example
 * await createNotifier(channel, { timeoutMs: 10_000, fetch }).send("PROJ-1 moved Open → In progress")
 */
import type { NotifyChannel } from "./channel.js";
import { slackNotifier } from "./slack.js";
import { telegramNotifier } from "./telegram.js";

export interface Notifier {
  send(text: string): Promise<void>;
}

export interface NotifierOptions {
  timeoutMs: number;
  fetch: typeof fetch;
}

export function createNotifier(channel: NotifyChannel, options: NotifierOptions): Notifier {
  return channel.type === "telegram"
    ? telegramNotifier(channel, options)
    : slackNotifier(channel, options);
}
