/**
 * The issue writes of GitHub's GraphQL schema the simulator serves (the other direction:
 * create an issue, set its assignees, list a repository's newest issues), copied from GitHub's
 * public schema as schema.ts is, and checked with it.
 */
export const ISSUE_WRITES_SDL = /* GraphQL */ `
type UserConnection {
  nodes: [User]
  pageInfo: PageInfo!
  totalCount: Int!
}

input CreateIssueInput {
  body: String
  clientMutationId: String
  repositoryId: ID!
  title: String!
}

type CreateIssuePayload {
  clientMutationId: String
  issue: Issue
}

input IssueOrder {
  direction: OrderDirection!
  field: IssueOrderField!
}

enum IssueOrderField {
  COMMENTS
  CREATED_AT
  UPDATED_AT
}

enum OrderDirection {
  ASC
  DESC
}

input UpdateIssueInput {
  assigneeIds: [ID!]
  clientMutationId: String
  id: ID!
}

type UpdateIssuePayload {
  clientMutationId: String
  issue: Issue
}
`;
