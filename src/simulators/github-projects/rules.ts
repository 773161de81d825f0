/**
 * What GitHub answers beyond the schema, for the simulator: its typed errors, what each
 * project field type accepts (with GitHub's wording for the refusals), and the closing
 * keywords it reads in a pull request's body.
 */
import type { SimProject, SimPull } from "./state.js";

/** An error GitHub reports with a `type` (`NOT_FOUND`, `FORBIDDEN`, `UNPROCESSABLE`). */
export class GitHubError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new GitHubError("NOT_FOUND", message);
export const forbidden = () =>
  new GitHubError("FORBIDDEN", "Resource not accessible by integration");

export interface UpdateInput {
  projectId: string;
  itemId: string;
  fieldId: string;
  value: { text?: string; number?: number; singleSelectOptionId?: string; date?: string };
}

/** What GitHub accepts for each field type, with its refusals' wording. */
export function fieldValue(
  field: SimProject["fields"][number],
  value: UpdateInput["value"],
): string {
  const type = field.dataType.toLowerCase();
  switch (field.dataType) {
    case "SINGLE_SELECT": {
      const id = value.singleSelectOptionId;
      if (id === undefined)
        throw new GitHubError(
          "UNPROCESSABLE",
          `Did not receive a single select option Id to update a field of type ${type}`,
        );
      if (!field.options?.some((o) => o.id === id))
        throw new GitHubError(
          "UNPROCESSABLE",
          "The single select option Id does not belong to the field",
        );
      return id;
    }
    case "TEXT":
      if (value.text === undefined)
        throw new GitHubError(
          "UNPROCESSABLE",
          `Did not receive a text value to update a field of type ${type}`,
        );
      return value.text;
    case "NUMBER":
      if (value.number === undefined)
        throw new GitHubError(
          "UNPROCESSABLE",
          `Did not receive a number value to update a field of type ${type}`,
        );
      return String(value.number);
    default:
      throw new GitHubError("UNPROCESSABLE", `The field of type ${type} cannot be updated`);
  }
}

const CLOSING =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:([A-Za-z0-9-]+\/[A-Za-z0-9._-]+))?#([1-9]\d*)\b/gi;

/** GitHub's closing keywords in the body (same repository or `owner/repo#N`), then manual links. */
export function closingKeys(pull: SimPull): string[] {
  const keys = [...pull.body.matchAll(CLOSING)].map(
    (m) => `${m[1] ?? `${pull.owner}/${pull.repo}`}#${m[2]}`,
  );
  return [...new Set([...keys, ...pull.linked])];
}

export interface Page {
  first?: number;
  last?: number;
  after?: string;
}

export function page<T>(all: T[], args: Page) {
  const start = args.after ? Number(Buffer.from(args.after, "base64").toString()) : 0;
  const size = Math.min(args.first ?? args.last ?? 100, 100);
  const from = args.last !== undefined && args.first === undefined ? all.length - size : start;
  const nodes = all.slice(Math.max(0, from), Math.max(0, from) + size);
  const end = Math.max(0, from) + nodes.length;
  return {
    nodes,
    pageInfo: {
      hasNextPage: end < all.length,
      endCursor: nodes.length ? Buffer.from(String(end)).toString("base64") : null,
    },
  };
}
