/**
 * Replicas wake each other through PostgreSQL's LISTEN/NOTIFY: a transaction that adds work
 * (a plan's jobs, jobs given back) sends a NOTIFY on the schema's channel, which the server
 * delivers to every listener when, and only if, it commits. Each process keeps one connection
 * of its own listening (a pooled one would be handed to a transaction), and reconnects when it
 * drops; after a reconnect it reports work as possible, since notifications sent meanwhile are
 * lost. The worker keeps a slow poll besides (`listenPollMs`), for safety.
 */
import pg from "pg";

/** The channel's name for the transaction's schema (param: the payload, `workPayload`'s). */
export const NOTIFY_WORK = "SELECT pg_notify('trackbridge.' || current_schema(), ?)";
/** The kind of work, and the pool whose transaction added it for the other processes. */
export const workPayload = (kind: string, origin: string) => `${kind} ${origin}`;

export interface Listening {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** pg.Client's settings: the pool's connection string and search path. */
  client: pg.ClientConfig;
  /** A notification's kind of work, or null: notifications may have been missed. */
  onNotify: (kind: string | null) => void;
  /** Notifications this pool sent for the others only (`workPayload`) are passed over. */
  origin?: string;
  onError: (error: Error) => void;
  /** The first wait before reconnecting, doubled up to 30 s (tests shorten it). */
  retryMs?: number;
}

const MAX_RETRY_MS = 30_000;

/** Resolves once the first connection listens (rejects when it cannot connect at all). */
export async function listenForWork(options: ListenOptions): Promise<Listening> {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wait = options.retryMs ?? 1_000;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(options.client);
    next.on("notification", (message) => {
      const [kind = "", origin] = (message.payload ?? "").split(" ");
      if (origin === undefined || origin !== options.origin) options.onNotify(kind);
    });
    // A dropped connection (server restart, network) errors or ends: listen again.
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next, new Error("the listening connection ended")));
    await next.connect();
    const row = (await next.query<{ schema: string }>("SELECT current_schema() AS schema")).rows[0];
    const channel = `trackbridge.${row?.schema ?? ""}`;
    await next.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    client = next;
    if (closed) await next.end();
  };

  const lost = (which: pg.Client, error: Error) => {
    if (closed || which !== client) return;
    client = undefined;
    options.onError(error);
    which.end().catch(() => {});
    retry();
  };

  const retry = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (closed) return;
      try {
        await connect();
        wait = options.retryMs ?? 1_000;
        // What was notified while no connection listened is not sent again.
        options.onNotify(null);
      } catch (error) {
        options.onError(error instanceof Error ? error : new Error(String(error)));
        wait = Math.min(wait * 2, MAX_RETRY_MS);
        retry();
      }
    }, wait);
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end();
    },
  };
}
