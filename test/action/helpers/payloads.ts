import examples from "@octokit/webhooks-examples";

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
