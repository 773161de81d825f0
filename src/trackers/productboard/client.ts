/**
 * Productboard's Public API (v1: `X-Version: 1`, Bearer token) for what a pushed feature needs:
 * read the feature (1 request: `GET /features/{id}`), set its status by name (1: `PATCH
 * /features/{id}`), and set or reset the plugin integration's connection on it (1: `PUT` or
 * `DELETE /plugin-integrations/{integration}/connections/{feature}`); and, for `doctor`, read
 * the integration itself (1: `GET /plugin-integrations/{integration}`).
 *
 * Productboard allows 50 requests a second per token: this client starts its requests at least
 * 21 ms apart. A 429 becomes a `TrackerError` with the `Retry-After` wait (http.ts), which the
 * outbox honours and shares with every replica, as for the trackers.
 */
import Bottleneck from "bottleneck";
import type { ProductboardConfig } from "../../config/productboard-config.js";
import { PRODUCTBOARD } from "../../config/productboard-config.js";
import { TrackerError } from "../errors.js";
import { createTrackerHttp, type HttpDeps } from "../http.js";
import {
  type Feature,
  type Integration,
  mapFeature,
  mapIntegration,
  readProductboardError,
} from "./map.js";

/**
 * 50 requests a second per token (developer.productboard.com/reference/rate-limits): a hair
 * over 20 ms apart, so a timer that fires a millisecond early never makes 51 in one second.
 */
const MIN_REQUEST_GAP_MS = 21;

/** What the plugin's button shows once the feature has its issue, or why it has none. */
export interface ConnectedState {
  state: "connected" | "error";
  label: string;
  hoverLabel?: string;
  tooltip: string;
  color?: string;
  /** The page; absent when the tracker's kind cannot say where it is. */
  targetUrl?: string;
}

export interface ProductboardClient {
  getFeature(id: string): Promise<Feature>;
  setFeatureStatus(id: string, status: string): Promise<void>;
  setConnection(featureId: string, connection: ConnectedState): Promise<void>;
  /** Back to `initial` (no connection); one already reset is fine. */
  resetConnection(featureId: string): Promise<void>;
  /** The configured plugin integration: proves the token is accepted and the id exists. */
  getIntegration(): Promise<Integration>;
}

export function createProductboardClient(
  config: Pick<ProductboardConfig, "url" | "token" | "integrationId">,
  deps: HttpDeps,
): ProductboardClient {
  const connection = {
    name: PRODUCTBOARD,
    type: PRODUCTBOARD,
    url: config.url,
    token: config.token,
  };
  const http = createTrackerHttp({
    connection,
    headers: {
      authorization: `Bearer ${config.token}`,
      "x-version": "1",
      accept: "application/json",
      "content-type": "application/json",
    },
    secrets: [config.token],
    readMessage: readProductboardError,
    deps,
  });
  // Bottleneck (the limiter Octokit's throttling plugin uses) starts each request at least
  // MIN_REQUEST_GAP_MS after the one before, per process: a 429 covers the rest.
  const limiter = new Bottleneck({ minTime: MIN_REQUEST_GAP_MS });
  const paced = <T>(call: () => Promise<T>): Promise<T> => limiter.schedule(call);
  const feature = (id: string) => `/features/${encodeURIComponent(id)}`;
  const integrationPath = `/plugin-integrations/${encodeURIComponent(config.integrationId)}`;
  const connectionPath = (featureId: string) =>
    `${integrationPath}/connections/${encodeURIComponent(featureId)}`;

  return {
    async getFeature(id) {
      const op = { what: `read feature ${id}` };
      const response = await paced(() => http.request("GET", feature(id), op));
      return mapFeature(response.body, id);
    },
    async setFeatureStatus(id, status) {
      const op = { what: `set the status of feature ${id} to "${status}"` };
      await paced(() =>
        http.request("PATCH", feature(id), op, { data: { status: { name: status } } }),
      );
    },
    async setConnection(featureId, state) {
      const op = { what: `connect feature ${featureId}` };
      await paced(() =>
        http.request("PUT", connectionPath(featureId), op, { data: { connection: state } }),
      );
    },
    async resetConnection(featureId) {
      const op = { what: `reset the connection of feature ${featureId}` };
      try {
        await paced(() => http.request("DELETE", connectionPath(featureId), op));
      } catch (error) {
        if (!(error instanceof TrackerError && error.kind === "not_found")) throw error;
      }
    },
    async getIntegration() {
      const op = { what: `read plugin integration ${config.integrationId}` };
      const response = await paced(() => http.request("GET", integrationPath, op));
      return mapIntegration(response.body, config.integrationId);
    },
  };
}
