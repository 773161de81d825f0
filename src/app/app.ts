/**
 * The Probot application function: it only registers handlers. Everything after the
 * handler's first line is a use case in its own file.
 */
import type { ApplicationFunction } from "probot";
import { handleDeploymentStatus } from "./handle-deployment.js";
import { type HandlerDeps, handleComment, handlePullRequest } from "./handle-pull-request.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
  "pull_request.closed",
  "pull_request.edited",
  "pull_request.synchronize",
  "pull_request_review.submitted",
] as const;

export function trackbridgeApp(deps: HandlerDeps): ApplicationFunction {
  return (app) => {
    app.on([...PULL_REQUEST_EVENTS], (context) => handlePullRequest(context, deps));
    app.on("issue_comment.created", (context) => handleComment(context, deps));
    // A deleted comment may take a key with it: the PR's links follow what it still names.
    app.on("issue_comment.deleted", (context) => handleComment(context, deps));
    app.on("deployment_status.created", (context) => handleDeploymentStatus(context, deps));
  };
}
