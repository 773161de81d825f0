/**
 * GitHub's public GraphQL schema (@octokit/graphql-schema) holds every document the GitHub
 * Projects adapter and the App send, and the simulator's subset of it: each type, field,
 * argument and input field the simulator serves exists in GitHub's schema with the same type.
 */
import { describe, expect, it } from "vitest";

import { CLOSING_ISSUES_QUERY } from "../../src/github/closing-issues.js";
import { PROJECTS_SDL } from "../../src/simulators/github-projects/schema.js";
import { ALL_DOCUMENTS } from "../../src/trackers/github-projects/queries.js";
import { graphqlProblems, subsetProblems } from "../contract/github-graphql.js";

describe("GitHub's GraphQL schema", () => {
  const documents = { ...ALL_DOCUMENTS, CLOSING_ISSUES_QUERY };
  for (const [name, query] of Object.entries(documents)) {
    it(`validates ${name}`, () => {
      expect(graphqlProblems(query)).toEqual([]);
    });
  }

  it("finds what is wrong in a document (the check is not vacuous)", () => {
    expect(graphqlProblems('{ organization(login: "a") { projectV3 } }')).toEqual([
      expect.stringContaining('Cannot query field "projectV3" on type "Organization"'),
    ]);
  });

  it("has every type, field and argument of the simulator's subset, with the same types", () => {
    expect(subsetProblems(PROJECTS_SDL)).toEqual([]);
  });

  it("finds what differs in a subset (the comparison is not vacuous)", () => {
    const wrong = `${PROJECTS_SDL}\nextend type Issue { closed: String }\ntype Sprint { id: ID! }`;
    expect(subsetProblems(wrong)).toEqual([
      "Issue.closed: String, GitHub has Boolean!",
      "Sprint: not in GitHub's schema",
    ]);
  });
});
