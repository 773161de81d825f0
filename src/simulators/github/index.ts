/** The GitHub API simulator and the webhook sender, for tests, benchmarks and the demo. */

export type {
  AddRepoInput,
  GitHubSimulatorAdmin,
  SimComment,
  SimCommit,
  SimPullRequest,
} from "./admin.js";
export type { DeliveryRecord, RecordDeliveryInput, WebhookTarget } from "./deliveries.js";
export type { AddCommentInput, AddCommitInput, AddPullRequestInput } from "./pulls.js";
export {
  type SendWebhookInput,
  type SendWebhookResult,
  sendWebhook,
  signPayload,
} from "./send-webhook.js";
export {
  type GitHubSimulator,
  type GitHubSimulatorOptions,
  type RequestLogEntry,
  startGitHubSimulator,
} from "./server.js";
export {
  appJson,
  type SimInstallation,
  type SimRepository,
  type SimUser,
  userJson,
} from "./shapes.js";
export type { CheckRunOutput, CheckRunSnapshot, CheckRunState } from "./state.js";
