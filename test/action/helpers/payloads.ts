import type { WebhookDefinition } from "@octokit/webhooks-examples";
import examplesModule from "@octokit/webhooks-examples";

// The package is CommonJS JSON whose .d.ts declares an ES default export; under NodeNext the
// default import is typed as the namespace, while at run time it is the array itself.
const examples = examplesModule as unknown as WebhookDefinition[];

/** A real payload from @octokit/webhooks-examples, deep-copied so a test can edit it. */
export function example(event: string, action?: string): Record<string, unknown> {
  const definition = examples.find((candidate) => candidate.name === event);
  const payload = definition?.examples.find(
    (candidate) => action === undefined || (candidate as { action?: string }).action === action,
  );
  if (!payload) throw new Error(`no example payload for ${event}.${action ?? "*"}`);
  return structuredClone(payload) as unknown as Record<string, unknown>;
}

/** A `pull_request.opened` payload whose head branch and title are the given ones. */
export function pullRequestPayload(branch: string, title: string): Record<string, unknown> {
  const payload = example("pull_request", "opened");
  const pr = payload.pull_request as { head: { ref: string }; title: string };
  pr.head.ref = branch;
  pr.title = title;
  return payload;
}
