/**
 * `match: email` for the worker's assign jobs: the person's public GitHub e-mail, asked as the
 * installation of the job's own repository (its report names it), so the request counts
 * against that installation's hourly budget; kept per login by `PublicEmails`.
 */
import type { Probot } from "probot";
import type { Store } from "../delivery/store.js";
import type { DeliveryHooks } from "../delivery/types.js";
import { PublicEmails } from "../github/public-email.js";

type Job = Parameters<DeliveryHooks["executeAction"]>[2];

/**
 * @example
 * const publicEmailFor = publicEmailLookup(probot, store);
 * applyAction(tracker, action, { people, publicEmail: publicEmailFor(job) });
 */
export function publicEmailLookup(probot: Pick<Probot, "auth">, store: Pick<Store, "getReport">) {
  const emails = new PublicEmails();
  return (job: Job) => (login: string) =>
    emails.of(login, async () => {
      // Read only when GitHub must be asked: most lookups find a kept answer.
      const report = await store.getReport(job.reportId);
      if (!report) throw new Error(`job ${job.id}: its report ${job.reportId} is gone`);
      return probot.auth(report.submission.report.installationId);
    });
}
