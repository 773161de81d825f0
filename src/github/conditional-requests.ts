/**
 * Conditional GETs for repository contents (the config file, its `_extends` sources and the
 * organization's `.github` fallback): the last answer's ETag goes out as `If-None-Match`, and
 * GitHub's 304, which does not count against the rate limit, is served from the kept answer.
 * A push that changes the file changes its ETag, so the next read gets the new file: the
 * cache can never serve a config older than GitHub's.
 */
import type { Octokit } from "@octokit/core";
import { Lru } from "../core/lru.js";

type OctokitResponse = Awaited<ReturnType<Octokit["request"]>>;

/** Kept answers by URL and media type, least recently used dropped first. */
export class ResponseCache {
  readonly #entries: Lru<string, { etag: string; response: OctokitResponse }>;
  hits = 0;

  constructor(readonly maxEntries = 2_000) {
    this.#entries = new Lru(maxEntries);
  }

  get(key: string) {
    return this.#entries.get(key);
  }

  set(key: string, etag: string, response: OctokitResponse): void {
    this.#entries.set(key, { etag, response });
  }
}

const CONTENTS = /\/repos\/[^/]+\/[^/]+\/contents\//;

/** An Octokit plugin: `ProbotOctokit.plugin(conditionalRequests(cache))`. */
export function conditionalRequests(cache: ResponseCache) {
  return (octokit: Octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      // Most requests are not for contents: the cheap look at the URL template comes first.
      if (
        String(options.method).toUpperCase() !== "GET" ||
        !String(options.url).includes("/contents/")
      )
        return request(options);
      const endpoint = octokit.request.endpoint(options as never);
      if (endpoint.method !== "GET" || !CONTENTS.test(endpoint.url)) return request(options);
      const accept = (endpoint.headers as Record<string, string | undefined>).accept ?? "";
      const key = `${endpoint.url} ${accept}`;
      const kept = cache.get(key);
      if (kept) options.headers = { ...options.headers, "if-none-match": kept.etag };
      try {
        const response = await request(options);
        const etag = response.headers.etag;
        if (etag) cache.set(key, etag, response);
        return response;
      } catch (error) {
        const answer = error as { status?: number; response?: { headers?: object } };
        if (kept && answer.status === 304) {
          cache.hits++;
          // The kept body with this answer's headers: its rate-limit reading is the fresh one.
          return {
            ...kept.response,
            headers: { ...kept.response.headers, ...answer.response?.headers },
          };
        }
        throw error;
      }
    });
  };
}
