/**
 * Every GraphQL document the Linear adapter sends, in one place so one test validates them
 * all against Linear's published schema. Each is one HTTP request. A team's states are read
 * with the issue (100 per page: a team has a handful), so a move needs no second read.
 */

const STATE = "id name type position";
const TEAM = `id key name defaultIssueState { id } states(first: 100) { nodes { ${STATE} } }`;

/** `issue(id:)` takes the identifier (`ENG-123`) or the UUID. */
export const ISSUE = /* GraphQL */ `
  query TrackbridgeIssue($id: String!, $withTeam: Boolean!) {
    issue(id: $id) {
      id
      identifier
      state { ${STATE} }
      team {
        key
        name
        ... @include(if: $withTeam) { ${TEAM} }
      }
    }
  }
`;

/** A move is one update: Linear has no transition constraints, any team state is allowed. */
export const MOVE = /* GraphQL */ `
  mutation TrackbridgeMove($id: String!, $stateId: String!) {
    issueUpdate(id: $id, input: { stateId: $stateId }) {
      success
      issue { identifier state { ${STATE} } team { ${TEAM} } }
    }
  }
`;

export const TEAM_BY_KEY = /* GraphQL */ `
  query TrackbridgeTeam($key: String!) {
    teams(filter: { key: { eq: $key } }, first: 1) {
      nodes { ${TEAM} }
    }
  }
`;

export const FIRST_TEAM = /* GraphQL */ `
  query TrackbridgeFirstTeam {
    teams(first: 1) { nodes { key name } }
  }
`;

export const COMMENTS = /* GraphQL */ `
  query TrackbridgeComments($id: String!, $after: String) {
    issue(id: $id) {
      comments(first: 100, after: $after) {
        nodes { id body }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export const COMMENT = /* GraphQL */ `
  mutation TrackbridgeComment($issueId: String!, $body: String!) {
    commentCreate(input: { issueId: $issueId, body: $body }) { success }
  }
`;

/** Whether the issue already carries an attachment with this URL. */
export const ATTACHMENT_BY_URL = /* GraphQL */ `
  query TrackbridgeAttachment($id: String!, $url: String!) {
    issue(id: $id) {
      attachments(filter: { url: { eq: $url } }, first: 1) { nodes { id } }
    }
  }
`;

/** Creates the attachment, or updates the one with the same URL on the same issue. */
export const LINK_URL = /* GraphQL */ `
  mutation TrackbridgeLink($issueId: String!, $url: String!, $title: String!) {
    attachmentLinkURL(issueId: $issueId, url: $url, title: $title) { success }
  }
`;

/** `id`: trackbridge's own UUID for the issue, so a retry finds it (see other-direction.ts). */
export const CREATE = /* GraphQL */ `
  mutation TrackbridgeCreate($input: IssueCreateInput!) {
    issueCreate(input: $input) { success issue { identifier } }
  }
`;

export const ISSUE_KEY = /* GraphQL */ `
  query TrackbridgeIssueKey($id: String!) {
    issue(id: $id) { identifier }
  }
`;

export const ATTACHMENT_DELETE = /* GraphQL */ `
  mutation TrackbridgeUnlink($id: String!) {
    attachmentDelete(id: $id) { success }
  }
`;

const USER = "id name displayName email";

export const ASSIGNEE = /* GraphQL */ `
  query TrackbridgeAssignee($id: String!) {
    issue(id: $id) { assignee { ${USER} } }
  }
`;

export const ASSIGN = /* GraphQL */ `
  mutation TrackbridgeAssign($id: String!, $assigneeId: String!) {
    issueUpdate(id: $id, input: { assigneeId: $assigneeId }) {
      success
      issue { assignee { ${USER} } }
    }
  }
`;

export const USERS_BY_EMAIL = /* GraphQL */ `
  query TrackbridgeUsersByEmail($email: String!) {
    users(filter: { email: { eqIgnoreCase: $email } }, first: 2) { nodes { ${USER} } }
  }
`;

export const VIEWER = /* GraphQL */ `
  query TrackbridgeViewer {
    viewer { name displayName email }
  }
`;

export const UPDATED_SINCE = /* GraphQL */ `
  query TrackbridgeUpdated($teams: [String!]!, $since: DateTimeOrDuration!, $after: String) {
    issues(
      filter: { team: { key: { in: $teams } }, updatedAt: { gte: $since } }
      first: 100
      after: $after
    ) {
      nodes { identifier }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const LINEAR_DOCUMENTS = {
  ISSUE,
  MOVE,
  TEAM_BY_KEY,
  FIRST_TEAM,
  COMMENTS,
  COMMENT,
  ATTACHMENT_BY_URL,
  LINK_URL,
  VIEWER,
  UPDATED_SINCE,
  CREATE,
  ISSUE_KEY,
  ATTACHMENT_DELETE,
  ASSIGNEE,
  ASSIGN,
  USERS_BY_EMAIL,
} as const;
