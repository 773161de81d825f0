/**
 * Plans a Productboard signal: a feature pushed or unlinked from its button (the plugin
 * endpoint recorded it), or an issue that features follow having changed (the App moved it,
 * the tracker said so, or the App found it gone). Each becomes one `feature` job per feature,
 * run under the `productboard` name; there is no check run to write.
 */
import { PRODUCTBOARD } from "../config/productboard-config.js";
import type { NotifyRule } from "../core/notify.js";
import type { PlannedAction } from "../core/types.js";
import type { IncomingDelivery, PlanSubmission } from "../delivery/types.js";
import type { FeatureLinks } from "../trackers/productboard/follow-feature.js";
import { emptyPlan } from "./handle-pull-request.js";

/** The delivery event of every Productboard signal. */
export const FEATURE_EVENT = "productboard";

/** What a `productboard` delivery carries. */
export type FeatureSignal =
  | { op: "push" | "unlink"; featureId: string; featureUrl?: string }
  | { op: "follow"; connection: string; keys: string[] };

export async function planFeatureSignal(
  delivery: IncomingDelivery,
  links: Pick<FeatureLinks, "featuresOfIssue">,
  /** The productboard section's `notify:` rules. */
  notify: NotifyRule[] = [],
): Promise<PlanSubmission[]> {
  const signal = delivery.payload as FeatureSignal;
  if (signal.op !== "follow") {
    const { op, featureId, featureUrl } = signal;
    return [
      featureSubmission(
        delivery,
        [{ kind: "feature", key: featureId, op, ...(featureUrl ? { featureUrl } : {}) }],
        notify,
      ),
    ];
  }
  const features = await links.featuresOfIssue(signal.connection, signal.keys);
  if (features.length === 0) return [];
  const issue = { connection: signal.connection, key: signal.keys[0] ?? "" };
  return [
    featureSubmission(
      delivery,
      features.map(
        ({ featureId, featureUrl }): PlannedAction => ({
          kind: "feature",
          key: featureId,
          op: "follow",
          ...(featureUrl ? { featureUrl } : {}),
          issue,
        }),
      ),
      notify,
    ),
  ];
}

export function featureSubmission(
  delivery: IncomingDelivery,
  actions: PlannedAction[],
  notify: NotifyRule[] = [],
): PlanSubmission {
  return {
    deliveryId: delivery.id,
    connection: PRODUCTBOARD,
    repo: PRODUCTBOARD,
    prNumber: null,
    prState: "open",
    eventAt: delivery.receivedAt,
    waitForAllPrs: false,
    plan: { ...emptyPlan(), actions },
    // No commit to report on: the jobs' results are in the console and the feature's button.
    report: {
      installationId: 0,
      repo: PRODUCTBOARD,
      headSha: "",
      prNumber: null,
      requireKey: false,
    },
    productboard: true,
    ...(notify.length > 0 ? { notify } : {}),
  };
}
