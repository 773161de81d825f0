/**
 * The Slack and Telegram notifiers against their simulators over real HTTP: each service's
 * answers become the one error type the worker knows, with the wait a 429 asked for.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NotifyChannel } from "../../src/notifiers/channel.js";
import { createNotifier } from "../../src/notifiers/notifier.js";
import { type SlackSimulator, startSlackSimulator } from "../../src/simulators/slack/index.js";
import {
  startTelegramSimulator,
  type TelegramSimulator,
} from "../../src/simulators/telegram/index.js";
import { TrackerError } from "../../src/trackers/errors.js";

const TOKEN = "xoxb-test-token-123456";
const TG_TOKEN = "42:telegram-test-token";

async function failure(channel: NotifyChannel): Promise<TrackerError> {
  const error = await createNotifier(channel, { timeoutMs: 5_000, fetch })
    .send("hello")
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(TrackerError);
  return error as TrackerError;
}

describe("Slack", () => {
  let slack: SlackSimulator;
  beforeAll(async () => {
    slack = await startSlackSimulator({ token: TOKEN, channels: ["C0TEAM", "C0OPS"] });
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  const hook = (): Extract<NotifyChannel, { webhookUrl: string }> => ({
    name: "team",
    type: "slack",
    webhookUrl: slack.webhookUrl,
  });
  const bot = (token = TOKEN, channel = "C0OPS"): NotifyChannel => ({
    name: "ops",
    type: "slack",
    token,
    channel,
    apiUrl: slack.apiUrl,
  });

  it("posts through an incoming webhook and through chat.postMessage", async () => {
    await createNotifier(hook(), { timeoutMs: 5_000, fetch }).send("one");
    await createNotifier(bot(), { timeoutMs: 5_000, fetch }).send("two");
    expect(slack.messages.map((m) => [m.chat, m.text])).toEqual([
      ["C0TEAM", "one"],
      ["C0OPS", "two"],
    ]);
  });

  it("a 429 is rate_limited with its Retry-After, on both paths, and is not retried by the client", async () => {
    slack.rateLimit(2, 3);
    for (const channel of [hook(), bot()]) {
      const error = await failure(channel);
      expect([error.kind, error.retryAfterMs, error.retryable]).toEqual([
        "rate_limited",
        3_000,
        true,
      ]);
    }
    expect(slack.requests.map((r) => r.status)).toEqual([429, 429]);
    expect(slack.messages).toEqual([]);
  });

  it("a revoked webhook, a wrong token, an unknown channel are permanent, with Slack's reason", async () => {
    const revoked = await failure({ ...hook(), webhookUrl: `${slack.webhookUrl}x` });
    expect([revoked.kind, revoked.retryable]).toEqual(["forbidden", false]);
    expect(revoked.message).toContain('Slack channel "team": webhook answered 403 invalid_token');
    const badToken = await failure(bot("xoxb-wrong-token-000"));
    expect([badToken.kind, badToken.message]).toEqual([
      "auth",
      expect.stringContaining("chat.postMessage answered invalid_auth"),
    ]);
    const noChannel = await failure(bot(TOKEN, "C0NONE"));
    expect(noChannel.kind).toBe("not_found");
    expect(noChannel.message).toContain("channel_not_found");
    for (const error of [revoked, badToken, noChannel]) {
      expect(error.message).not.toContain(slack.webhookUrl.split("/").at(-1)!);
      expect(error.message).not.toContain("xoxb-wrong-token-000");
    }
  });
});

describe("Telegram", () => {
  let telegram: TelegramSimulator;
  beforeAll(async () => {
    telegram = await startTelegramSimulator({ token: TG_TOKEN, chats: ["-1001"] });
  });
  afterAll(() => telegram.close());
  beforeEach(() => telegram.reset());

  const channel = (
    token = TG_TOKEN,
    chatId = "-1001",
  ): Extract<NotifyChannel, { type: "telegram" }> => ({
    name: "tg",
    type: "telegram",
    token,
    chatId,
    apiRoot: telegram.url,
  });

  it("sends, and reads flood control's wait from parameters.retry_after", async () => {
    telegram.rateLimit(1, 7);
    const error = await failure(channel());
    expect([error.kind, error.retryAfterMs]).toEqual(["rate_limited", 7_000]);
    expect(error.message).toContain("429 Too Many Requests: retry after 7");
    await createNotifier(channel(), { timeoutMs: 5_000, fetch }).send("hi");
    expect(telegram.messages.map((m) => [m.chat, m.text])).toEqual([["-1001", "hi"]]);
  });

  it("a wrong token and an unknown chat are permanent, and the token stays out of the message", async () => {
    const unauthorized = await failure(channel("42:wrong-telegram-token"));
    expect([unauthorized.kind, unauthorized.retryable]).toEqual(["auth", false]);
    expect(unauthorized.message).toBe(
      'Telegram channel "tg": sendMessage answered 401 Unauthorized: the bot token is wrong or revoked; fix the server\'s channel config',
    );
    const noChat = await failure(channel(TG_TOKEN, "-999"));
    expect([noChat.kind, noChat.message]).toEqual([
      "invalid",
      expect.stringContaining("400 Bad Request: chat not found: check the channel's chat_id"),
    ]);
  });

  it("an unreachable Bot API is a network failure, retried", async () => {
    const error = await failure({ ...channel(), apiRoot: "http://127.0.0.1:9" });
    expect([error.kind, error.retryable]).toEqual(["network", true]);
    expect(error.message).not.toContain(TG_TOKEN);
  });
});
