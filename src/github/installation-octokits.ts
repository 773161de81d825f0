/**
 * Octokits made once per installation, not once per event. Probot makes a new Octokit for
 * every event (`context.octokit`) and every `app.auth(id)`, and each sets all its plugins up
 * again (the REST methods, throttling's limiter, retry, app auth, a child logger): at tens of
 * events a second that set-up was a large share of the processing thread's CPU. The tokens stay
 * Probot's business: a kept Octokit asks its auth for the installation token on every
 * request, and the auth mints a new one when the cached one nears expiry.
 *
 * - `app.auth(id)`: one Octokit per installation, shared by every caller.
 * - An event's Octokit is lent to that event only, and given back when Probot has handled it:
 *   Probot tags each request with the event's delivery id (`x-github-delivery`, for GitHub's
 *   support) through a hook it adds once per Octokit, so a kept Octokit tags its requests
 *   with the id of the event it is lent to instead.
 */
import type { Octokit } from "@octokit/core";
import { Lru } from "../core/lru.js";

const LENT_TO = Symbol("the delivery this Octokit is lent to");

type Kept = Pick<Octokit, "hook"> & { [LENT_TO]?: string };

interface AuthOptions {
  type?: string;
  installationId?: number | string;
  factory?: unknown;
  event?: { id: string; name: string; payload: { action?: string; installation?: { id: number } } };
}

type Auth = (options: AuthOptions) => Promise<unknown>;

export class InstallationOctokits {
  readonly #shared: Lru<number, Promise<unknown>>;
  readonly #idle: Lru<number, Kept[]>;
  readonly #lent = new Map<string, Array<{ installationId: number; octokit: Kept }>>();

  constructor(maxInstallations = 1_000) {
    this.#shared = new Lru(maxInstallations);
    this.#idle = new Lru(maxInstallations);
  }

  /** An Octokit plugin: Probot asks `octokit.auth` for both kinds of installation Octokit. */
  readonly plugin = (octokit: Pick<Octokit, "auth">) => {
    const auth = octokit.auth as Auth;
    return { auth: (options: AuthOptions) => this.#auth(auth, options) };
  };

  /** Runs Probot's handling of one event (`probot.receive`); its Octokits are given back after. */
  async handle<T>(deliveryId: string, receive: () => Promise<T>): Promise<T> {
    try {
      return await receive();
    } finally {
      for (const { installationId, octokit } of this.#lent.get(deliveryId) ?? []) {
        const idle = this.#idle.get(installationId) ?? [];
        idle.push(octokit);
        this.#idle.set(installationId, idle);
      }
      this.#lent.delete(deliveryId);
    }
  }

  #auth(auth: Auth, options: AuthOptions): Promise<unknown> {
    if (options.type === "installation" && options.factory) {
      const installationId = Number(options.installationId);
      let made = this.#shared.get(installationId);
      if (!made) {
        made = auth(options);
        this.#shared.set(installationId, made);
        made.catch(() => this.#shared.delete(installationId));
      }
      return made;
    }
    const event = options.type === "event-octokit" ? options.event : undefined;
    const installationId = event?.payload.installation?.id;
    // Without an installation, or with access revoked, Probot's Octokit is unauthenticated.
    const revoked =
      event?.name === "installation" && ["suspend", "deleted"].includes(event.payload.action ?? "");
    if (!event || installationId === undefined || revoked) return auth(options);
    return this.#lend(auth, options, event.id, installationId);
  }

  async #lend(
    auth: Auth,
    options: AuthOptions,
    deliveryId: string,
    installationId: number,
  ): Promise<Kept> {
    let octokit = this.#idle.get(installationId)?.pop();
    if (!octokit) {
      const made = (await auth(options)) as Kept;
      // Added before Probot's own hook (it adds one when the event's context is made), so it
      // runs after it and has the last word.
      made.hook.before("request", (request) => {
        if (made[LENT_TO] !== undefined) request.headers["x-github-delivery"] = made[LENT_TO];
      });
      octokit = made;
    }
    octokit[LENT_TO] = deliveryId;
    const lent = this.#lent.get(deliveryId) ?? [];
    lent.push({ installationId, octokit });
    this.#lent.set(deliveryId, lent);
    return octokit;
  }
}
