/**
 * The Probot application function: it only registers handlers. Everything after the
 * handler's first line is a use case in its own file.
 */

import type { ApplicationFunction } from "probot";
import { ClosingIssues } from "../github/closing-issues.js";
import { handleCreate, handlePush } from "./handle-branch.js";
import { handleDeploymentStatus } from "./handle-deployment.js";
import { type HandlerDeps, handleComment, handlePullRequest } from "./handle-pull-request.js";
import { handleRelease } from "./handle-release.js";
import { SYNC_EVENT_TYPE, sinceDaysOf, syncRepository } from "./sync-repository.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
  "pull_request.closed",
  "pull_request.edited",
  "pull_request.synchronize",
  // Only the config's `create.label` acts: it asks for an issue for a PR that names none.
  "pull_request.labeled",
  "pull_request_review.submitted",
] as const;

export function trackbridgeApp(appDeps: HandlerDeps): ApplicationFunction {
  // One per App: what GitHub said each PR closes, kept per head and body.
  const deps: HandlerDeps = { closing: new ClosingIssues(), ...appDeps };
  return (app) => {
    app.on([...PULL_REQUEST_EVENTS], (context) => handlePullRequest(context, deps));
    app.on("issue_comment.created", (context) => handleComment(context, deps));
    // A deleted comment may take a key with it: the PR's links follow what it still names.
    app.on("issue_comment.deleted", (context) => handleComment(context, deps));
    app.on("deployment_status.created", (context) => handleDeploymentStatus(context, deps));
    app.on("create", (context) => handleCreate(context, deps));
    app.on("push", (context) => handlePush(context, deps));
    app.on("release.published", (context) => handleRelease(context, deps));
    app.on("repository_dispatch", async (context) => {
      if (context.payload.action !== SYNC_EVENT_TYPE) return;
      await syncRepository(context, deps, { sinceDays: sinceDaysOf(context.payload) });
    });
  };
}
