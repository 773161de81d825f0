/**
 * Every GraphQL document the GitHub Projects adapter sends (test/trackers/github-projects-schema.test.ts
 * validates each against GitHub's public schema). The shapes follow github/update-project-action
 * (`fetchContentMetadata`, `fetchProjectMetadata`, `updateField`).
 */

/** The project's id, its fields and each single-select field's options. */
const PROJECT_FIELDS = /* GraphQL */ `
fragment ProjectFields on ProjectV2 {
  id
  number
  title
  url
  fields(first: 100) {
    nodes {
      ... on ProjectV2FieldCommon { id name dataType }
      ... on ProjectV2SingleSelectField { options { id name } }
    }
  }
}`;

/** An issue's node id, its key, and its project items with the status field's value. */
const ISSUE_ON_PROJECT = /* GraphQL */ `
fragment IssueOnProject on Issue {
  id
  number
  repository { nameWithOwner }
  projectItems(first: 50) {
    nodes {
      id
      project { id number owner { ... on Organization { login } ... on User { login } } }
      status: fieldValueByName(name: $statusField) {
        ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
      }
    }
  }
}`;

/**
 * One issue and its project items; the project's fields ride along (`withProject`) when the
 * adapter has none cached, so a move's read is still one request.
 */
export const ISSUE_QUERY = /* GraphQL */ `
query TrackbridgeIssue($owner: String!, $repo: String!, $number: Int!, $statusField: String!,
    $org: String!, $project: Int!, $withProject: Boolean!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) { ...IssueOnProject }
  }
  organization(login: $org) @include(if: $withProject) {
    projectV2(number: $project) { ...ProjectFields }
  }
}
${ISSUE_ON_PROJECT}
${PROJECT_FIELDS}`;

/**
 * The same read by the issue's node id, as a `projects_v2_item` webhook names it
 * (`content_node_id`): the answer says which issue it is.
 */
export const ISSUE_NODE_QUERY = /* GraphQL */ `
query TrackbridgeIssueNode($id: ID!, $statusField: String!, $org: String!, $project: Int!,
    $withProject: Boolean!) {
  node(id: $id) { ...IssueOnProject }
  organization(login: $org) @include(if: $withProject) {
    projectV2(number: $project) { ...ProjectFields }
  }
}
${ISSUE_ON_PROJECT}
${PROJECT_FIELDS}`;

export const PROJECT_QUERY = /* GraphQL */ `
query TrackbridgeProject($org: String!, $project: Int!) {
  organization(login: $org) {
    projectV2(number: $project) { ...ProjectFields }
  }
}
${PROJECT_FIELDS}`;

/** The last 100 comments: enough to find a marker the adapter wrote. */
export const COMMENTS_QUERY = /* GraphQL */ `
query TrackbridgeComments($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      id
      comments(last: 100) { nodes { id body } }
    }
  }
}`;

/** The project's items, a page at a time, with when each last changed (the poll). */
export const ITEMS_QUERY = /* GraphQL */ `
query TrackbridgeItems($org: String!, $project: Int!, $after: String) {
  organization(login: $org) {
    projectV2(number: $project) {
      items(first: 100, after: $after) {
        nodes {
          updatedAt
          content { ... on Issue { number repository { nameWithOwner } } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

/** Returns the item when the issue is on the project already (GitHub does not add it twice). */
export const ADD_ITEM_MUTATION = /* GraphQL */ `
mutation TrackbridgeAddItem($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: { projectId: $projectId, contentId: $contentId }) {
    item { id }
  }
}`;

/** `value` is `{ singleSelectOptionId }`, `{ text }` or `{ number }`, as the field's type wants. */
export const SET_VALUE_MUTATION = /* GraphQL */ `
mutation TrackbridgeSetValue($projectId: ID!, $itemId: ID!, $fieldId: ID!,
    $value: ProjectV2FieldValue!) {
  updateProjectV2ItemFieldValue(
    input: { projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: $value }
  ) {
    projectV2Item { id }
  }
}`;

export const ADD_COMMENT_MUTATION = /* GraphQL */ `
mutation TrackbridgeComment($subjectId: ID!, $body: String!) {
  addComment(input: { subjectId: $subjectId, body: $body }) {
    commentEdge { node { id } }
  }
}`;

/** The repository's newest issues with their bodies: where a lost create's marker is looked for. */
export const NEWEST_ISSUES_QUERY = /* GraphQL */ `
query TrackbridgeNewestIssues($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    issues(first: 30, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { number body } }
  }
}`;

export const REPOSITORY_ID_QUERY = /* GraphQL */ `
query TrackbridgeRepositoryId($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) { id }
}`;

export const CREATE_ISSUE_MUTATION = /* GraphQL */ `
mutation TrackbridgeCreateIssue($repositoryId: ID!, $title: String!, $body: String!) {
  createIssue(input: { repositoryId: $repositoryId, title: $title, body: $body }) {
    issue { number }
  }
}`;

const ASSIGNEES = "assignees(first: 10) { nodes { login name } }";

/** The issue's assignees (GitHub issues may have several: the first is the assignee). */
export const ASSIGNEES_QUERY = /* GraphQL */ `
query TrackbridgeAssignees($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) { issue(number: $number) { ${ASSIGNEES} } }
}`;

/** The issue's and the user's node ids, for `updateIssue`. */
export const ASSIGN_TARGET_QUERY = /* GraphQL */ `
query TrackbridgeAssignTarget($owner: String!, $repo: String!, $number: Int!, $login: String!) {
  repository(owner: $owner, name: $repo) { issue(number: $number) { id } }
  user(login: $login) { id }
}`;

/** Replaces the issue's assignees with the one user. */
export const ASSIGN_MUTATION = /* GraphQL */ `
mutation TrackbridgeAssign($issue: ID!, $user: ID!) {
  updateIssue(input: { id: $issue, assigneeIds: [$user] }) { issue { ${ASSIGNEES} } }
}`;

/** Every document above, for the schema test. */
export const ALL_DOCUMENTS = {
  ISSUE_QUERY,
  ISSUE_NODE_QUERY,
  PROJECT_QUERY,
  COMMENTS_QUERY,
  ITEMS_QUERY,
  ADD_ITEM_MUTATION,
  SET_VALUE_MUTATION,
  ADD_COMMENT_MUTATION,
  ASSIGNEES_QUERY,
  ASSIGN_TARGET_QUERY,
  ASSIGN_MUTATION,
  NEWEST_ISSUES_QUERY,
  REPOSITORY_ID_QUERY,
  CREATE_ISSUE_MUTATION,
};
