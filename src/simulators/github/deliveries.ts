/**
 * The app's webhook delivery log, as `GET /app/hook/deliveries` shows it, and redelivery:
 * `POST /app/hook/deliveries/{id}/attempts` answers 202 and then sends the stored payload
 * again, signed, with the same GUID, and records the attempt as a new delivery with
 * `redelivery: true` — which is how an app recovering missed deliveries sees it on GitHub.
 */
import { randomUUID } from "node:crypto";
import { cursorPage } from "./paginate.js";
import { appRoute, notFound, type Reply, type Route } from "./router.js";
import { sendWebhook, serializePayload } from "./send-webhook.js";
import { isoSeconds } from "./shapes.js";
import type { SimState } from "./state.js";

/** GitHub gives up on a receiver after 10 s and counts the delivery as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;
const HOOK_ID = 1;

export interface DeliveryRecord {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  /** "OK" for a 2xx answer, otherwise what went wrong. */
  status: string;
  /** 0 when no HTTP answer came (refused, timed out). */
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at: null;
}

interface StoredDelivery extends DeliveryRecord {
  body: string;
  responseBody: string;
}

export interface RecordDeliveryInput {
  guid?: string;
  event: string;
  /** Defaults to the payload's `action`. */
  action?: string | null;
  payload: unknown;
  /** The receiver's answer: 200 for a delivered event, 500/502/0 for a missed one. */
  statusCode: number;
  deliveredAt?: string;
  redelivery?: boolean;
  duration?: number;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

const UNREACHABLE = "We couldn't deliver this payload: failed to connect to host";

function statusText(code: number, failure?: string): string {
  if (failure) return failure;
  if (code === 0) return UNREACHABLE;
  return code >= 200 && code < 300 ? "OK" : `Invalid HTTP Response: ${code}`;
}

function idsOf(body: string): {
  action: string | null;
  installation: number | null;
  repository: number | null;
} {
  try {
    const payload = JSON.parse(body) as {
      action?: unknown;
      installation?: { id?: unknown };
      repository?: { id?: unknown };
    };
    return {
      action: typeof payload.action === "string" ? payload.action : null,
      installation: typeof payload.installation?.id === "number" ? payload.installation.id : null,
      repository: typeof payload.repository?.id === "number" ? payload.repository.id : null,
    };
  } catch {
    return { action: null, installation: null, repository: null };
  }
}

function publicView(stored: StoredDelivery): DeliveryRecord {
  const { body: _body, responseBody: _response, ...record } = stored;
  return record;
}

export class Deliveries {
  private target: WebhookTarget | null = null;
  private readonly stored: StoredDelivery[] = [];
  /** Ids of deliveries an app asked to redeliver, in order. */
  readonly attempts: number[] = [];
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly state: SimState) {}

  configure(target: WebhookTarget): void {
    this.target = { ...target };
  }

  record(
    input: RecordDeliveryInput,
    outcome: { responseBody?: string; failure?: string } = {},
  ): DeliveryRecord {
    const body = serializePayload(input.payload);
    const ids = idsOf(body);
    const stored: StoredDelivery = {
      id: this.state.nextId(),
      guid: input.guid ?? randomUUID(),
      // Normalized so that sorting by the string sorts by time.
      delivered_at: input.deliveredAt
        ? isoSeconds(new Date(input.deliveredAt))
        : this.state.timestamp(),
      redelivery: input.redelivery ?? false,
      duration: input.duration ?? 0.01,
      status: statusText(input.statusCode, outcome.failure),
      status_code: input.statusCode,
      event: input.event,
      action: input.action === undefined ? ids.action : input.action,
      installation_id: ids.installation,
      repository_id: ids.repository,
      throttled_at: null,
      body,
      responseBody: outcome.responseBody ?? "",
    };
    this.stored.push(stored);
    return publicView(stored);
  }

  /** Newest first, as GitHub lists them. */
  list(): DeliveryRecord[] {
    return this.sorted().map(publicView);
  }

  /**
   * Sends one delivery to the configured webhook URL and records its outcome. A refused
   * connection or a timeout is recorded (status_code 0), never thrown: that is a missed
   * delivery, which is what recovery tests need.
   */
  async deliver(input: {
    event: string;
    payload: unknown;
    guid?: string;
    redelivery?: boolean;
  }): Promise<DeliveryRecord & { responseBody: string }> {
    const target = this.target;
    const deliveredAt = this.state.timestamp();
    const started = performance.now();
    let statusCode = 0;
    let responseBody = "";
    let failure: string | undefined;
    const guid = input.guid ?? randomUUID();
    if (!target) {
      failure = "No webhook URL configured";
    } else {
      try {
        const result = await sendWebhook({
          ...target,
          event: input.event,
          payload: input.payload,
          deliveryId: guid,
          headers: {
            "x-github-hook-id": String(HOOK_ID),
            "x-github-hook-installation-target-id": String(this.state.options.appId),
            "x-github-hook-installation-target-type": "integration",
          },
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        statusCode = result.status;
        responseBody = result.body;
      } catch (error) {
        failure =
          error instanceof Error && error.name === "TimeoutError"
            ? "We couldn't deliver this payload: timed out"
            : UNREACHABLE;
      }
    }
    const record = this.record(
      {
        guid,
        event: input.event,
        payload: input.payload,
        statusCode,
        deliveredAt,
        redelivery: input.redelivery ?? false,
        duration: (performance.now() - started) / 1000,
      },
      { responseBody, failure },
    );
    return { ...record, responseBody };
  }

  /** Resolves when every redelivery started so far has been sent and recorded. */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  routes(): Route[] {
    return [
      appRoute("GET /app/hook/deliveries", (ctx): Reply => {
        const page = cursorPage(this.sorted().map(publicView), ctx.url);
        return { status: 200, body: page.items, headers: page.headers };
      }),
      appRoute("GET /app/hook/deliveries/:id", (ctx): Reply => {
        const found = this.find(Number(ctx.params.id));
        if (!found) return notFound();
        return {
          status: 200,
          body: {
            ...publicView(found),
            url: this.target?.url ?? "",
            request: {
              headers: { "X-GitHub-Event": found.event, "X-GitHub-Delivery": found.guid },
              payload: safeParse(found.body),
            },
            response: { headers: {}, payload: found.responseBody },
          },
        };
      }),
      appRoute("POST /app/hook/deliveries/:id/attempts", (ctx): Reply => {
        const found = this.find(Number(ctx.params.id));
        if (!found) return notFound();
        this.attempts.push(found.id);
        // GitHub answers before it redelivers; tests wait with whenIdle().
        const sending = this.deliver({
          event: found.event,
          payload: found.body,
          guid: found.guid,
          redelivery: true,
        }).finally(() => this.pending.delete(sending));
        this.pending.add(sending);
        return { status: 202, body: {} };
      }),
    ];
  }

  private find(id: number): StoredDelivery | undefined {
    return this.stored.find((delivery) => delivery.id === id);
  }

  private sorted(): StoredDelivery[] {
    return [...this.stored].sort(
      (a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.id - a.id,
    );
  }
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
