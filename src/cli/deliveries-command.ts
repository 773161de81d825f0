/**
 * `trackbridge deliveries`: what the App received, what it still has to do, and what it gave
 * up on — and `trackbridge deliveries retry` to run dead letters again (after the issue was
 * created, the token fixed, the tracker back), and notifications Slack or Telegram refused for
 * good (`m12`: message 12). Works on the store the server uses; SQLite's
 * WAL mode lets it run while the server does.
 */
import { type Command, InvalidArgumentError } from "commander";
import type { PlannedAction } from "../core/types.js";
import type { StoredMessage } from "../delivery/messages.js";
import type { DeliverySummary, Store, StoredJob } from "../delivery/store.js";

export interface DeliveriesCommandDeps {
  openStore(): Promise<Store>;
  /** Where output goes; stdout by default. */
  write?: (text: string) => void;
  now?: () => number;
}

interface Overview {
  deliveries: DeliverySummary[];
  failedDeliveries: DeliverySummary[];
  pending: StoredJob[];
  dead: StoredJob[];
  deadMessages: StoredMessage[];
}

/**
 * Adds `deliveries` and `deliveries retry` to the program.
 *
 * @example
 * registerDeliveriesCommand(program, { openStore: () => openSqliteStore({ path: config.databasePath }) });
 * // $ trackbridge deliveries --json
 * // $ trackbridge deliveries retry 42        (a dead or failed job)
 * // $ trackbridge deliveries retry <guid>    (a delivery whose planning failed)
 * // $ trackbridge deliveries retry m7        (a dead notification)
 * // $ trackbridge deliveries retry --all     (every dead letter, notifications too)
 */
export function registerDeliveriesCommand(program: Command, deps: DeliveriesCommandDeps): void {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  const now = deps.now ?? (() => Date.now());

  const deliveries = program
    .command("deliveries")
    .description("recent webhook deliveries, pending jobs and dead letters")
    .option("--json", "print JSON")
    .option("--limit <n>", "how many of each to list", positiveInteger, 20)
    .action(async (options: { json?: boolean; limit: number }) => {
      const overview = await withStore(deps, async (store) => ({
        deliveries: await store.listDeliveries({ limit: options.limit }),
        failedDeliveries: await store.listDeliveries({ limit: options.limit, state: "failed" }),
        pending: await store.listJobs({ states: ["pending", "running"], limit: options.limit }),
        dead: await store.listJobs({ states: ["dead"], limit: options.limit }),
        deadMessages: await store.listMessages({ states: ["dead"], limit: options.limit }),
      }));
      write(
        options.json ? `${JSON.stringify(overview, null, 2)}\n` : renderOverview(overview, now()),
      );
    });

  deliveries
    .command("retry")
    .description(
      "run a dead or failed job (by number), a dead notification (m + number) or a failed delivery (by id) again",
    )
    .argument("[id]", "job number, m + message number, or delivery id")
    .option("--all", "run every dead letter again")
    .action(async (id: string | undefined, options: { all?: boolean }, command: Command) => {
      if (Boolean(options.all) === Boolean(id))
        command.error("give a job number or delivery id, or --all");
      const message = await withStore(deps, async (store) => {
        if (options.all) {
          const count = await store.retryDeadJobs(now());
          const messages = await store.retryDeadMessages(now());
          const notified =
            messages > 0 ? `, ${messages} notification${messages === 1 ? "" : "s"}` : "";
          return `${count} dead letter${count === 1 ? "" : "s"}${notified} queued again\n`;
        }
        const target = id ?? "";
        const message = /^m(\d+)$/.exec(target);
        if (message) {
          return (await store.retryDeadMessages(now(), Number(message[1]))) === 1
            ? `notification ${target} queued again\n`
            : null;
        }
        if (/^\d+$/.test(target)) {
          return (await store.retryJob(Number(target), now()))
            ? `job ${target} queued again\n`
            : null;
        }
        return (await store.retryDelivery(target, now()))
          ? `delivery ${target} queued for planning again\n`
          : null;
      });
      if (message === null)
        command.error(`no dead or failed job or failed delivery ${id}`, { exitCode: 1 });
      write(message);
    });
}

async function withStore<T>(
  deps: DeliveriesCommandDeps,
  use: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await deps.openStore();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export function renderOverview(overview: Overview, now: number): string {
  const sections = [
    section(
      "Recent deliveries",
      ["ID", "EVENT", "RECEIVED", "STATE", "JOBS"],
      overview.deliveries.map((d) => [d.id, d.event, d.receivedAt, d.state, jobCounts(d.jobs)]),
    ),
    section(
      "Pending jobs",
      ["JOB", "STATE", "CONNECTION", "KEY", "ACTION", "ATTEMPTS", "NEXT", "LAST ERROR"],
      overview.pending.map((job) => [
        String(job.id),
        job.state,
        job.connection,
        job.key,
        describeAction(job.action),
        String(job.attempts),
        job.state === "running"
          ? "running"
          : job.nextAt <= now
            ? "now"
            : `in ${Math.ceil((job.nextAt - now) / 1000)} s`,
        job.lastError ?? "",
      ]),
    ),
    section(
      "Dead letters (trackbridge deliveries retry JOB | --all)",
      ["JOB", "DELIVERY", "CONNECTION", "KEY", "ACTION", "ATTEMPTS", "WHY"],
      overview.dead.map((job) => [
        String(job.id),
        job.deliveryId,
        job.connection,
        job.key,
        describeAction(job.action),
        String(job.attempts),
        job.summary ?? job.lastError ?? "",
      ]),
    ),
  ];
  if (overview.deadMessages.length > 0) {
    sections.push(
      section(
        "Dead notifications (trackbridge deliveries retry mID | --all)",
        ["MESSAGE", "CHANNEL", "EVENT", "KEY", "ATTEMPTS", "WHY"],
        overview.deadMessages.map((m) => [
          `m${m.id}`,
          m.channel,
          m.notice.event,
          m.notice.key,
          String(m.attempts),
          m.lastError ?? "",
        ]),
      ),
    );
  }
  if (overview.failedDeliveries.length > 0) {
    sections.push(
      section(
        "Deliveries that could not be planned (trackbridge deliveries retry ID)",
        ["ID", "EVENT", "RECEIVED", "ATTEMPTS", "ERROR"],
        overview.failedDeliveries.map((d) => [
          d.id,
          d.event,
          d.receivedAt,
          String(d.attempts),
          d.error ?? "",
        ]),
      ),
    );
  }
  return sections.join("\n");
}

export function describeAction(action: PlannedAction): string {
  switch (action.kind) {
    case "move":
      return `move to ${action.target} (${action.trigger})`;
    case "link":
      return `link ${action.pr.repo}#${action.pr.number}`;
    case "set_field":
      return `set ${action.field}`;
    case "fix_version":
      return `fix version ${action.version}`;
    case "comment":
      return "comment";
    case "create":
      return `create in ${action.project} (${action.via.replace("_", " ")})`;
    case "unlink":
      return `unlink ${action.pr.repo}#${action.pr.number}`;
    case "assign":
      return `assign ${action.person} (${action.from})`;
    case "feature":
      return `Productboard feature ${action.op}`;
  }
}

function jobCounts(jobs: DeliverySummary["jobs"]): string {
  const parts = Object.entries(jobs).map(([state, count]) => `${count} ${state}`);
  return parts.length > 0 ? parts.join(", ") : "-";
}

function section(title: string, header: string[], rows: string[][]): string {
  if (rows.length === 0) return `${title}: none\n`;
  const table = [header, ...rows.map((row) => row.map((cell) => cell.replace(/\s+/g, " ")))];
  const widths = header.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? "").length)),
  );
  const lines = table.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
  return `${title} (${rows.length})\n${lines.join("\n")}\n`;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError(`not a positive integer: ${value}`);
  return parsed;
}
