/**
 * The issues a pull request closes as GitHub reckons them (`closingIssuesReferences`: the
 * closing keywords of its body, and issues linked by hand in its sidebar), read for a
 * repository whose connection is a GitHub project: one GraphQL query per PR head and body,
 * kept afterwards, so the events of one head cost it once.
 */
import type { Octokit } from "@octokit/core";
import { Lru } from "../core/lru.js";
import { githubIssueKey } from "../core/scan-github-refs.js";

/** Checked against GitHub's schema with the adapter's documents (github-projects-schema.test.ts). */
export const CLOSING_ISSUES_QUERY = /* GraphQL */ `
query TrackbridgeClosingIssues($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      closingIssuesReferences(first: 50) {
        nodes { number repository { nameWithOwner } }
      }
    }
  }
}`;

interface Where {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  body: string;
}

export class ClosingIssues {
  readonly #kept: Lru<string, { version: string; keys: string[] }>;

  constructor(maxPulls = 5_000) {
    this.#kept = new Lru(maxPulls);
  }

  /** `owner/repo#12` keys, in GitHub's order. */
  async read(octokit: Pick<Octokit, "graphql">, where: Where): Promise<string[]> {
    const pull = `${where.owner}/${where.repo}#${where.number}`;
    // A push brings a new head; an edited body may close other issues.
    const version = `${where.headSha}\u0000${where.body}`;
    const kept = this.#kept.get(pull);
    if (kept?.version === version) return kept.keys;
    const data = await octokit.graphql<{
      repository: {
        pullRequest: {
          closingIssuesReferences: {
            nodes: Array<{ number: number; repository: { nameWithOwner: string } } | null>;
          } | null;
        } | null;
      } | null;
    }>(CLOSING_ISSUES_QUERY, { owner: where.owner, repo: where.repo, number: where.number });
    const nodes = data.repository?.pullRequest?.closingIssuesReferences?.nodes ?? [];
    const keys = nodes
      .map((node) =>
        node ? githubIssueKey(`${node.repository.nameWithOwner}#${node.number}`) : null,
      )
      .filter((key) => key !== null);
    this.#kept.set(pull, { version, keys });
    return keys;
  }
}
