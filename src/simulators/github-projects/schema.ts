/**
 * The part of GitHub's GraphQL schema the simulator serves: what the GitHub Projects adapter
 * and the App read and write. Every type, field, argument and nullability here is copied from
 * GitHub's public schema (@octokit/graphql-schema); test/simulators/github-projects-schema.test.ts
 * checks that each one still matches it. Fields and arguments GitHub has and the adapter does
 * not use are left out, so a query that strays past what the simulator serves fails here too.
 */
import { ISSUE_WRITES_SDL } from "./schema-issues.js";

export const PROJECTS_SDL = /* GraphQL */ `
scalar Date
scalar DateTime
scalar URI

interface Node {
  id: ID!
}

interface Actor {
  login: String!
}

interface RepositoryOwner {
  login: String!
}

interface ProjectV2Owner {
  id: ID!
  projectV2(number: Int!): ProjectV2
}

type Query {
  node(id: ID!): Node
  organization(login: String!): Organization
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  user(login: String!): User
}

type Mutation {
  addComment(input: AddCommentInput!): AddCommentPayload
  addProjectV2ItemById(input: AddProjectV2ItemByIdInput!): AddProjectV2ItemByIdPayload
  updateIssue(input: UpdateIssueInput!): UpdateIssuePayload
  createIssue(input: CreateIssueInput!): CreateIssuePayload
  updateProjectV2ItemFieldValue(
    input: UpdateProjectV2ItemFieldValueInput!
  ): UpdateProjectV2ItemFieldValuePayload
}

type Organization implements Node & Actor & RepositoryOwner & ProjectV2Owner {
  id: ID!
  login: String!
  projectV2(number: Int!): ProjectV2
}

type User implements Node & Actor & RepositoryOwner & ProjectV2Owner {
  id: ID!
  login: String!
  name: String
  projectV2(number: Int!): ProjectV2
}


type Bot implements Node & Actor {
  id: ID!
  login: String!
}

type Repository implements Node {
  id: ID!
  nameWithOwner: String!
  owner: RepositoryOwner!
  issues(first: Int, after: String, last: Int, before: String, orderBy: IssueOrder): IssueConnection!
  issue(number: Int!): Issue
  pullRequest(number: Int!): PullRequest
}

type Issue implements Node {
  id: ID!
  number: Int!
  title: String!
  body: String!
  assignees(first: Int, after: String, last: Int, before: String): UserConnection!
  url: URI!
  updatedAt: DateTime!
  repository: Repository!
  comments(first: Int, after: String, last: Int, before: String): IssueCommentConnection!
  projectItems(
    first: Int
    after: String
    last: Int
    before: String
    includeArchived: Boolean = true
  ): ProjectV2ItemConnection!
}

type PullRequest implements Node {
  id: ID!
  number: Int!
  body: String!
  closingIssuesReferences(
    first: Int
    after: String
    last: Int
    before: String
    userLinkedOnly: Boolean = false
  ): IssueConnection
}

type IssueConnection {
  nodes: [Issue]
  pageInfo: PageInfo!
}

type IssueComment implements Node {
  id: ID!
  body: String!
  author: Actor
}

type IssueCommentConnection {
  nodes: [IssueComment]
  pageInfo: PageInfo!
}

type IssueCommentEdge {
  node: IssueComment
}

type PageInfo {
  hasNextPage: Boolean!
  endCursor: String
}

type ProjectV2 implements Node {
  id: ID!
  number: Int!
  title: String!
  url: URI!
  owner: ProjectV2Owner!
  fields(first: Int, after: String, last: Int, before: String): ProjectV2FieldConfigurationConnection!
  items(first: Int, after: String, last: Int, before: String): ProjectV2ItemConnection!
}

enum ProjectV2FieldType {
  ASSIGNEES
  DATE
  ITERATION
  LABELS
  LINKED_PULL_REQUESTS
  MILESTONE
  NUMBER
  PARENT_ISSUE
  REPOSITORY
  REVIEWERS
  SINGLE_SELECT
  SUB_ISSUES_PROGRESS
  TEXT
  TITLE
  TRACKED_BY
  TRACKS
}

interface ProjectV2FieldCommon {
  id: ID!
  name: String!
  dataType: ProjectV2FieldType!
}

type ProjectV2Field implements Node & ProjectV2FieldCommon {
  id: ID!
  name: String!
  dataType: ProjectV2FieldType!
}

type ProjectV2SingleSelectField implements Node & ProjectV2FieldCommon {
  id: ID!
  name: String!
  dataType: ProjectV2FieldType!
  options(names: [String!]): [ProjectV2SingleSelectFieldOption!]!
}

type ProjectV2SingleSelectFieldOption {
  id: String!
  name: String!
}

union ProjectV2FieldConfiguration = ProjectV2Field | ProjectV2SingleSelectField

type ProjectV2FieldConfigurationConnection {
  nodes: [ProjectV2FieldConfiguration]
  pageInfo: PageInfo!
}

type ProjectV2Item implements Node {
  id: ID!
  updatedAt: DateTime!
  project: ProjectV2!
  content: ProjectV2ItemContent
  fieldValueByName(name: String!): ProjectV2ItemFieldValue
}

type DraftIssue implements Node {
  id: ID!
  title: String!
}

union ProjectV2ItemContent = DraftIssue | Issue | PullRequest

type ProjectV2ItemConnection {
  nodes: [ProjectV2Item]
  pageInfo: PageInfo!
}

type ProjectV2ItemFieldSingleSelectValue implements Node {
  id: ID!
  name: String
  optionId: String
}

type ProjectV2ItemFieldTextValue implements Node {
  id: ID!
  text: String
}

type ProjectV2ItemFieldNumberValue implements Node {
  id: ID!
  number: Float
}

union ProjectV2ItemFieldValue =
  | ProjectV2ItemFieldNumberValue
  | ProjectV2ItemFieldSingleSelectValue
  | ProjectV2ItemFieldTextValue

input AddCommentInput {
  body: String!
  clientMutationId: String
  subjectId: ID!
}

type AddCommentPayload {
  clientMutationId: String
  commentEdge: IssueCommentEdge
  subject: Node
}

input AddProjectV2ItemByIdInput {
  clientMutationId: String
  contentId: ID!
  projectId: ID!
}

type AddProjectV2ItemByIdPayload {
  clientMutationId: String
  item: ProjectV2Item
}

input ProjectV2FieldValue {
  date: Date
  iterationId: String
  number: Float
  singleSelectOptionId: String
  text: String
}

input UpdateProjectV2ItemFieldValueInput {
  clientMutationId: String
  fieldId: ID!
  itemId: ID!
  projectId: ID!
  value: ProjectV2FieldValue!
}

type UpdateProjectV2ItemFieldValuePayload {
  clientMutationId: String
  projectV2Item: ProjectV2Item
}
${ISSUE_WRITES_SDL}`;
