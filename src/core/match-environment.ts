/**
 * Which `deployments:` entry a deployment's environment falls under: an exact name first,
 * then the first glob (`review/*`) that matches, in the order the config lists them.
 */
import picomatch from "picomatch";
import type { RepoConfig } from "./repo-config.js";

export type DeploymentRule = RepoConfig["deployments"][string];

/**
 * @example
 * matchEnvironment({ staging: {...}, "review/*": {...} }, "review/pr-7") // → the "review/*" rule
 */
export function matchEnvironment(
  rules: RepoConfig["deployments"],
  environment: string,
): { name: string; rule: DeploymentRule } | undefined {
  const exact = rules[environment];
  if (exact) return { name: environment, rule: exact };
  for (const [name, rule] of Object.entries(rules)) {
    if (picomatch.isMatch(environment, name, { dot: true })) return { name, rule };
  }
  return undefined;
}
