/**
 * The part of Linear's GraphQL schema the simulator serves: exactly what the adapter sends.
 * Every type and field here has the same name and type as in Linear's published schema (a
 * test checks it against the schema `@linear/sdk` ships), so a document that runs here is
 * one Linear would accept.
 */
import { buildSchema, type GraphQLSchema } from "graphql";

export const LINEAR_SIM_SDL = /* GraphQL */ `
  scalar DateTime
  scalar DateTimeOrDuration

  type Query {
    issue(id: String!): Issue!
    issues(filter: IssueFilter, first: Int, after: String): IssueConnection!
    teams(filter: TeamFilter, first: Int, after: String): TeamConnection!
    viewer: User!
    users(filter: UserFilter, first: Int, after: String): UserConnection!
  }

  type Mutation {
    issueCreate(input: IssueCreateInput!): IssuePayload!
    issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
    attachmentDelete(id: String!): DeletePayload!
    commentCreate(input: CommentCreateInput!): CommentPayload!
    attachmentLinkURL(issueId: String!, url: String!, title: String): AttachmentPayload!
  }

  type Issue {
    id: ID!
    identifier: String!
    title: String!
    description: String
    url: String!
    updatedAt: DateTime!
    assignee: User
    state: WorkflowState!
    team: Team!
    comments(first: Int, after: String): CommentConnection!
    attachments(filter: AttachmentFilter, first: Int, after: String): AttachmentConnection!
  }

  type WorkflowState {
    id: ID!
    name: String!
    type: String!
    position: Float!
  }

  type Team {
    id: ID!
    key: String!
    name: String!
    defaultIssueState: WorkflowState
    states(first: Int, after: String): WorkflowStateConnection!
  }

  type User {
    id: ID!
    name: String!
    displayName: String!
    email: String!
  }

  type Comment {
    id: ID!
    body: String!
  }

  type Attachment {
    id: ID!
    url: String!
    title: String!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type IssueConnection {
    nodes: [Issue!]!
    pageInfo: PageInfo!
  }
  type UserConnection {
    nodes: [User!]!
    pageInfo: PageInfo!
  }
  type TeamConnection {
    nodes: [Team!]!
    pageInfo: PageInfo!
  }
  type WorkflowStateConnection {
    nodes: [WorkflowState!]!
    pageInfo: PageInfo!
  }
  type CommentConnection {
    nodes: [Comment!]!
    pageInfo: PageInfo!
  }
  type AttachmentConnection {
    nodes: [Attachment!]!
    pageInfo: PageInfo!
  }

  type IssuePayload {
    success: Boolean!
    issue: Issue
  }
  type DeletePayload {
    success: Boolean!
    entityId: String!
  }
  type CommentPayload {
    success: Boolean!
    comment: Comment!
  }
  type AttachmentPayload {
    success: Boolean!
    attachment: Attachment!
  }

  input IssueUpdateInput {
    stateId: String
    assigneeId: String
  }
  input IssueCreateInput {
    id: String
    teamId: String!
    title: String
    description: String
    assigneeId: String
  }
  input UserFilter {
    email: StringComparator
  }
  input CommentCreateInput {
    issueId: String
    body: String
  }
  input StringComparator {
    eq: String
    eqIgnoreCase: String
    in: [String!]
  }
  input DateComparator {
    gte: DateTimeOrDuration
  }
  input TeamFilter {
    key: StringComparator
  }
  input IssueFilter {
    team: TeamFilter
    updatedAt: DateComparator
  }
  input AttachmentFilter {
    url: StringComparator
  }
`;

let built: GraphQLSchema | undefined;

/** Built on first use, not at import. */
export function linearSimSchema(): GraphQLSchema {
  built ??= buildSchema(LINEAR_SIM_SDL);
  return built;
}
