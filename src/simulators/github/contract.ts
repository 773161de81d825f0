/**
 * Holds the GitHub simulator to GitHub's real API in tests. The test setup
 * (test/setup/github-contract.ts) installs a check built from GitHub's OpenAPI descriptions;
 * the simulator passes it every request it receives and every webhook it sends, and keeps
 * what the check finds until the setup takes it and fails the test that made the call.
 * Without an installed check (the demo, benchmarks) nothing is checked.
 */

export interface ContractCheck {
  /** `rawPath` still percent-encoded, without `/api/v3`. Returns what does not match, or []. */
  request(method: string, rawPath: string, body: unknown): string[];
  webhook(event: string, payload: unknown): string[];
  /** A GraphQL document checked against GitHub's public GraphQL schema. */
  graphql(query: string, variables: unknown): string[];
}

let installed: ContractCheck | undefined;
const violations: string[] = [];
const githubsOwn = new WeakSet<object>();

export function holdToContract(check: ContractCheck | undefined): void {
  installed = check;
}

/** What the check found since the last call, emptied. */
export function takeContractViolations(): string[] {
  return violations.splice(0);
}

export function checkRequest(method: string, rawPath: string, body: unknown): void {
  if (!installed) return;
  for (const problem of installed.request(method, rawPath, body)) {
    violations.push(`${method} ${rawPath}: ${problem}`);
  }
}

/**
 * Marks a payload as one of GitHub's own examples (@octokit/webhooks-examples): it shows what
 * GitHub sends, so where it differs from the description (`custom_properties`, no
 * `auto_merge`) it is not checked. Payloads built by hand always are.
 */
export function githubsOwnExample<T extends object>(payload: T): T {
  githubsOwn.add(payload);
  return payload;
}

export function checkWebhook(event: string, payload: unknown): void {
  if (!installed) return;
  if (typeof payload === "object" && payload !== null && githubsOwn.has(payload)) return;
  for (const problem of installed.webhook(event, payload)) {
    violations.push(`webhook ${event}: ${problem}`);
  }
}

export function checkGraphql(query: string, variables: unknown): void {
  if (!installed) return;
  for (const problem of installed.graphql(query, variables)) {
    violations.push(`POST /graphql: ${problem}`);
  }
}
