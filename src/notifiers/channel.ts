/**
 * A notification channel as the server knows it: built only by the server's config loader
 * (the `channels:` section of the TRACKBRIDGE_CONNECTIONS file). A repository config picks
 * channels by name (`notify:`) and can never supply a URL or a token.
 */
export type NotifyChannel =
  | {
      name: string;
      type: "slack";
      /** An incoming webhook's URL: it is the credential (secret). */
      webhookUrl: string;
    }
  | {
      name: string;
      type: "slack";
      /** A bot token (xoxb-…, secret) with chat:write, and the channel id or name it posts to. */
      token: string;
      channel: string;
      /** Slack's Web API root, https://slack.com/api/ (TRACKBRIDGE_SLACK_API_URL). */
      apiUrl: string;
    }
  | {
      name: string;
      type: "telegram";
      /** The bot's token from @BotFather (secret). */
      token: string;
      chatId: string;
      /** The Bot API root, https://api.telegram.org (TRACKBRIDGE_TELEGRAM_API_ROOT). */
      apiRoot: string;
    };

/** The secret values of a channel, for the logger's and the messages' scrubbing. */
export function channelSecrets(channel: NotifyChannel): string[] {
  if ("webhookUrl" in channel) {
    // The URL's last segment is the webhook's own secret: blank it even when quoted alone.
    const last = new URL(channel.webhookUrl).pathname.split("/").filter(Boolean).at(-1);
    return [channel.webhookUrl, ...(last && last.length >= 8 ? [last] : [])];
  }
  return [channel.token];
}
