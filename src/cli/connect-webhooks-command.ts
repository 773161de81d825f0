/**
 * `trackbridge connect-webhooks --connection NAME --queue PROJ --url https://trackbridge.example.com`:
 * points a tracker's webhooks at the App, as the connection's kind does it (`webhook.connect`):
 * Yandex Tracker creates the queue's trigger through the API; Jira admin webhooks cannot be
 * created with an app's token, so it prints the exact steps for a Jira administrator.
 *
 * The webhook secret is never printed: terminal output ends up in shell history, CI logs and
 * screen shares. The steps name where the secret is kept (a variable or a file) instead.
 */
import type { Command } from "commander";
import type { ServerConfig } from "../config/server-config.js";
import { type Send, sendHttp } from "../http/send.js";
import { DEFAULT_TRACKER_TIMEOUT_MS } from "../trackers/create-tracker.js";
import { kindOf, projectWords } from "../trackers/kinds.js";
import { findConnection, queueKey } from "./connection-options.js";
import { CliError } from "./io.js";

export interface ConnectWebhooksDeps {
  write(text: string): void;
  loadConfig(): Promise<Pick<ServerConfig, "connections">>;
  send?: Send;
}

export function registerConnectWebhooksCommand(program: Command, deps: ConnectWebhooksDeps): void {
  program
    .command("connect-webhooks")
    .description("Send a tracker's issue changes to this trackbridge server.")
    .requiredOption("--connection <name>", "the server's tracker connection")
    .requiredOption("--queue <key>", `the ${projectWords()}, e.g. PROJ`)
    .requiredOption(
      "--url <url>",
      "the App's public base URL, e.g. https://trackbridge.example.com",
    )
    .action(async (options: { connection: string; queue: string; url: string }) => {
      const { connections } = await deps.loadConfig();
      const connection = findConnection(connections, options.connection);
      if (!connection.webhookSecret) {
        throw new CliError(
          `connection "${connection.name}" has no webhook secret: set TRACKER_WEBHOOK_SECRET (or webhook_secret: { env: … } in the connections file) on the server and here`,
        );
      }
      queueKey(options.queue);
      if (!URL.canParse(options.url)) throw new CliError(`--url is not a URL: ${options.url}`);
      const endpoint = new URL(
        `api/trackers/${encodeURIComponent(connection.name)}/webhooks`,
        options.url.endsWith("/") ? options.url : `${options.url}/`,
      ).href;
      const kind = kindOf(connection.type);
      if (!kind.webhook) {
        throw new CliError(
          `${kind.label} sends no webhooks: trackbridge polls connection "${connection.name}" for changes instead (TRACKBRIDGE_TRACKER_POLL_SECONDS)`,
        );
      }
      deps.write(
        await kind.webhook.connect(
          connection,
          { project: options.queue, endpoint },
          { send: deps.send ?? sendHttp, timeoutMs: DEFAULT_TRACKER_TIMEOUT_MS },
        ),
      );
    });
}
