/**
 * `trackbridge connect-webhooks --connection NAME --queue PROJ --url https://trackbridge.example.com`:
 * points a tracker's webhooks at the App. Yandex Tracker: creates the queue's trigger through
 * the API. Jira: admin webhooks cannot be created with an app's token, so it prints the
 * exact steps for a Jira administrator.
 *
 * The webhook secret is never printed: terminal output ends up in shell history, CI logs and
 * screen shares. The steps name where the secret is kept (a variable or a file) instead.
 */
import type { Command } from "commander";
import type { ServerConfig } from "../config/server-config.js";
import { type Send, sendHttp } from "../http/send.js";
import type { TrackerConnection } from "../trackers/connection.js";
import { DEFAULT_TRACKER_TIMEOUT_MS } from "../trackers/create-tracker.js";
import { connectYandexWebhook } from "../trackers/yandex/connect-webhook.js";
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
    .requiredOption("--queue <key>", "the Yandex Tracker queue / Jira project, e.g. PROJ")
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
      deps.write(
        connection.type === "yandex"
          ? await yandexTrigger(connection, options.queue, endpoint, deps)
          : jiraSteps(connection, options.queue, endpoint),
      );
    });
}

async function yandexTrigger(
  connection: TrackerConnection,
  queue: string,
  endpoint: string,
  deps: ConnectWebhooksDeps,
): Promise<string> {
  const { outcome, triggerId } = await connectYandexWebhook(
    connection,
    { queue, endpoint },
    { send: deps.send ?? sendHttp, timeoutMs: DEFAULT_TRACKER_TIMEOUT_MS },
  );
  const what = {
    created: "Created",
    exists: "Already there:",
    updated: "Updated the secret of",
  }[outcome];
  return [
    `${what} trigger ${triggerId} in queue ${queue}.`,
    `On every status change it POSTs {"key": "{{issue.key}}"} to ${endpoint}`,
    `with the header X-Trackbridge-Token = the secret in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} (not shown).`,
    "",
  ].join("\n");
}

function jiraSteps(connection: TrackerConnection, project: string, endpoint: string): string {
  return [
    "Jira admin webhooks cannot be created with an app's token: a Jira administrator adds this one.",
    "",
    "1. Jira settings (cog) → System → WebHooks → Create a WebHook.",
    `2. Name: trackbridge (${connection.name})`,
    `3. URL: ${endpoint}`,
    `4. Secret: the value in ${connection.webhookSecretFrom ?? "the connection's webhook_secret"} on the trackbridge server.`,
    "   It is not printed here; copy it from where you keep it (your secret manager) into the Secret field.",
    `5. Issue related events, JQL: project = ${project}`,
    "6. Events: Issue → updated. Save.",
    "",
    "Jira then signs each call with X-Hub-Signature: sha256=…; trackbridge answers 401 to any call it cannot verify.",
    "",
  ].join("\n");
}
