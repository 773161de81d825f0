/**
 * The events about a commit or a ref rather than a pull request (a deployment's status, a
 * branch created, a release published), normalized like the PR events in normalize-event.ts:
 * validated, and a malformed payload gets a reason, not a crash.
 */
import { z } from "zod";
import type { BranchEvent, DeploymentEvent, ReleaseEvent } from "../core/types.js";
import { type NormalizeResult, repository } from "./normalize-event.js";

const deploymentStatusPayload = z
  .object({
    deployment_status: z
      .object({
        state: z.string(),
        environment_url: z.string().nullish(),
        target_url: z.string().nullish(),
        created_at: z.string(),
        environment: z.string().nullish(),
      })
      .loose(),
    deployment: z
      .object({ ref: z.string(), sha: z.string(), environment: z.string().nullish() })
      .loose(),
    repository,
  })
  .loose();

/**
 * Normalizes a `deployment_status` payload; only `success` with an environment URL counts.
 * The head commit's message is fetched by the caller and passed in.
 */
export function normalizeDeploymentStatus(
  payload: unknown,
  headCommitMessage = "",
): NormalizeResult<DeploymentEvent> {
  const parsed = deploymentStatusPayload.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `malformed deployment_status payload: ${z.prettifyError(parsed.error)}`,
    };
  }
  const { deployment_status: status, deployment, repository: repo } = parsed.data;
  if (status.state !== "success") {
    return { ok: false, reason: `deployment_status "${status.state}" is not a success` };
  }
  // Only environment_url: target_url is the deploy log's link, not the bench.
  const url = status.environment_url;
  if (!url) return { ok: false, reason: "deployment_status success has no environment_url" };
  return {
    ok: true,
    event: {
      repo: { owner: repo.owner.login, name: repo.name },
      ref: deployment.ref,
      sha: deployment.sha,
      environment: status.environment ?? deployment.environment ?? "",
      url,
      headCommitMessage,
      at: status.created_at,
    },
  };
}

const branchPayload = z
  .object({
    ref: z.string(),
    ref_type: z.string().optional(),
    created: z.boolean().optional(),
    deleted: z.boolean().optional(),
    after: z.string().optional(),
    repository,
  })
  .loose();

/**
 * Normalizes `create` (a branch) and the first `push` to a branch (`created: true`) into the
 * work-started event; other pushes and tags are `{ ok: false }` with the reason. The sha of a
 * `create` is not in its payload: the caller passes the branch head when it has it.
 */
export function normalizeBranchEvent(
  name: string,
  payload: unknown,
  at: string,
  sha = "",
): NormalizeResult<BranchEvent> {
  const parsed = branchPayload.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `malformed ${name} payload: ${z.prettifyError(parsed.error)}` };
  }
  const data = parsed.data;
  const repo = { owner: data.repository.owner.login, name: data.repository.name };
  if (name === "create") {
    if (data.ref_type !== "branch") return { ok: false, reason: `a ${data.ref_type} was created` };
    return { ok: true, event: { repo, branch: data.ref, sha, at } };
  }
  if (name !== "push") return { ok: false, reason: `event "${name}" is not create or push` };
  if (!data.ref.startsWith("refs/heads/") || data.deleted) {
    return { ok: false, reason: "a tag or a deleted branch" };
  }
  if (!data.created) return { ok: false, reason: "a later push: work started already" };
  const branch = data.ref.slice("refs/heads/".length);
  return { ok: true, event: { repo, branch, sha: data.after ?? sha, at } };
}

const releasePayloadSchema = z
  .object({
    action: z.string(),
    release: z
      .object({
        tag_name: z.string(),
        prerelease: z.boolean(),
        published_at: z.string().nullish(),
        created_at: z.string().nullish(),
      })
      .loose(),
    repository,
  })
  .loose();

/** Normalizes `release.published`; the commits since the previous release come from the caller. */
export function normalizeRelease(
  payload: unknown,
  commits: string[],
  sha = "",
): NormalizeResult<ReleaseEvent> {
  const parsed = releasePayloadSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `malformed release payload: ${z.prettifyError(parsed.error)}` };
  }
  const { action, release, repository: repo } = parsed.data;
  if (action !== "published") return { ok: false, reason: `release.${action} does not act` };
  return {
    ok: true,
    event: {
      repo: { owner: repo.owner.login, name: repo.name },
      tag: release.tag_name,
      sha,
      prerelease: release.prerelease,
      at: release.published_at ?? release.created_at ?? "",
      commits,
    },
  };
}
