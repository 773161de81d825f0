/**
 * A Productboard feature's jobs (`kind: "feature"`): a push creates the feature's issue in the
 * configured connection once and connects the feature's button to it; the issue's status then
 * sets the feature's through the section's status map; an unlink on either side (the button,
 * or the issue deleted) forgets the link. Every step is safe to run again. A push that ends
 * without an issue shows why on the button (`showPushFailed`, from the jobs' report).
 */
import type { ProductboardConfig } from "../../config/productboard-config.js";
import { statusMatches } from "../../core/match-status.js";
import type { ActionResult, PlannedAction, TrackerStatus } from "../../core/types.js";
import { createThroughLedger, type OtherDirectionDeps } from "../apply-other-direction.js";
import { TrackerError } from "../errors.js";
import type { Tracker } from "../port.js";
import type { ConnectedState, ProductboardClient } from "./client.js";

type FeatureAction = Extract<PlannedAction, { kind: "feature" }>;

export interface FeatureLink {
  connection: string;
  /** Null once unlinked. */
  key: string | null;
  url: string | null;
  featureUrl: string | null;
  /** How often the feature was unlinked: its next push creates a new issue. */
  unlinks: number;
}

/** What the store keeps of each pushed feature (feature-links.ts implements it). */
export interface FeatureLinks {
  featureLink(featureId: string): Promise<FeatureLink | null>;
  linkFeature(
    featureId: string,
    link: { connection: string; key: string; url: string | null; featureUrl: string | null },
  ): Promise<void>;
  /** Forgets the feature's issue and counts the unlink. */
  unlinkFeature(featureId: string): Promise<void>;
  /** The features linked to any of these keys of the connection's (a moved issue has several). */
  featuresOfIssue(
    connection: string,
    keys: readonly string[],
  ): Promise<Array<{ featureId: string; featureUrl: string | null }>>;
}

export interface FeatureDeps {
  config: Pick<ProductboardConfig, "connection" | "project" | "type" | "statuses">;
  productboard: ProductboardClient;
  /** The configured connection's tracker. */
  tracker: Tracker;
  /** The issue's page, when the tracker's kind can say (Linear needs its workspace). */
  issueUrl: (key: string) => string | undefined;
  links: FeatureLinks;
  ledger: NonNullable<OtherDirectionDeps["ledger"]>;
}

export async function applyFeatureAction(
  action: FeatureAction,
  deps: FeatureDeps,
): Promise<ActionResult> {
  const outcome =
    action.op === "push"
      ? await push(action, deps)
      : action.op === "follow"
        ? await follow(action, deps)
        : await unlinkFeature(action, deps);
  return { action, ok: true, ...outcome };
}

/**
 * A push job that ended without an issue shows why on the feature's button instead of leaving
 * it "in progress" for ever: the tracker refused the create (no such project, no permission),
 * or every retry failed. The outbox says so once the job is settled (`failed` or `dead`), so a
 * job still retrying leaves the button as it is. A feature linked meanwhile (a later push that
 * succeeded) keeps its button.
 *
 * @example
 * await showPushFailed("f-1", "gave up after 8 attempts: jira failed to create …", deps);
 * // the button: { state: "error", label: "Not created", tooltip: "gave up after 8 attempts: …" }
 */
export async function showPushFailed(
  featureId: string,
  reason: string,
  deps: Pick<FeatureDeps, "productboard" | "links">,
): Promise<void> {
  if ((await deps.links.featureLink(featureId))?.key) return;
  const tooltip = clip(reason, TOOLTIP_MAX);
  await deps.productboard.setConnection(featureId, {
    state: "error",
    label: "Not created",
    tooltip,
  });
}

/** The marker of a feature's issue: a push after an unlink is a new issue. */
function featureMarker(featureId: string, unlinks: number): string {
  return `productboard:${featureId}${unlinks > 0 ? `#${unlinks}` : ""}`;
}

/**
 * The feature status the map gives the issue's status (by key or name), if any.
 *
 * @example
 * featureStatusFor({ "In progress": "In progress", Closed: "Released" }, { key: "6", display: "Closed" }) // "Released"
 */
export function featureStatusFor(
  statuses: Readonly<Record<string, string>>,
  status: TrackerStatus,
): string | undefined {
  return Object.entries(statuses).find(([tracker]) => statusMatches(status, tracker))?.[1];
}

/** Productboard's tooltips hold 200 characters; 255 is Jira's limit on an issue's summary. */
const TOOLTIP_MAX = 200;
const SUMMARY_MAX = 255;

/**
 * `text` cut to `max` characters, an ellipsis marking the cut.
 *
 * @example
 * clip("abcdef", 4) // "abc…"
 */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function connected(key: string, url: string | null, summary: string): ConnectedState {
  return {
    state: "connected",
    label: key,
    hoverLabel: `Open ${key}`,
    tooltip: clip(`${key}: ${summary}`, TOOLTIP_MAX),
    color: "blue",
    ...(url ? { targetUrl: url } : {}),
  };
}

async function push(action: FeatureAction, deps: FeatureDeps) {
  const id = action.key;
  const known = await deps.links.featureLink(id);
  const feature = await deps.productboard.getFeature(id);
  if (known?.key) {
    await deps.productboard.setConnection(id, connected(known.key, known.url, feature.name));
    return { summary: `already linked to ${known.key}`, created: known.key };
  }
  const featureUrl = action.featureUrl ?? feature.url;
  const description = [feature.description, featureUrl ? `Productboard feature: ${featureUrl}` : ""]
    .filter(Boolean)
    .join("\n\n");
  const { project, type } = deps.config;
  const issue = {
    project,
    summary: clip(feature.name, SUMMARY_MAX),
    description: description || `Productboard feature ${id}`,
    marker: featureMarker(id, known?.unlinks ?? 0),
    ...(type ? { type } : {}),
  };
  const { key, created } = await createThroughLedger(deps.tracker, issue, { ledger: deps.ledger });
  const url = deps.issueUrl(key) ?? null;
  await deps.links.linkFeature(id, { connection: deps.tracker.connection, key, url, featureUrl });
  await deps.productboard.setConnection(id, connected(key, url, feature.name));
  // The feature's address in the summary: the console and a notification link it.
  const what = `${created ? "created" : "already created"} ${key} for Productboard feature`;
  return { summary: `${what} ${featureUrl ?? id}`, created: key };
}

async function follow(action: FeatureAction, deps: FeatureDeps) {
  const id = action.key;
  const link = await deps.links.featureLink(id);
  // The feature follows the issue it is linked to now, whichever of its keys moved.
  if (!link?.key) return { summary: "not linked to an issue any more" };
  let status: TrackerStatus;
  try {
    status = (await deps.tracker.getIssue(link.key)).status;
  } catch (error) {
    if (!(error instanceof TrackerError) || error.kind !== "not_found") throw error;
    // The issue is gone: the feature's button goes back to "push", and a push creates anew.
    await deps.productboard.resetConnection(id);
    await deps.links.unlinkFeature(id);
    return { summary: `unlinked: ${link.key} no longer exists` };
  }
  const target = featureStatusFor(deps.config.statuses, status);
  if (!target) return { summary: `no feature status for ${link.key}'s "${status.display}"` };
  await deps.productboard.setFeatureStatus(id, target);
  return { summary: `feature status set to ${target} (${link.key}: ${status.display})` };
}

async function unlinkFeature(action: FeatureAction, deps: FeatureDeps) {
  const link = await deps.links.featureLink(action.key);
  if (!link?.key) return { summary: "not linked" };
  await deps.links.unlinkFeature(action.key);
  return { summary: `unlinked from ${link.key}` };
}
