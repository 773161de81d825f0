/**
 * The JSON the simulator answers with, shaped like GitHub's REST responses (the fields an
 * app reads, not every field GitHub has). The same objects make realistic webhook payloads:
 * `pull_request`, `repository` and `installation` in a test's payload can be these.
 */
import { createHash } from "node:crypto";

const HTML_BASE = "https://github.com";

export interface SimUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: "User" | "Organization" | "Bot";
  site_admin: false;
}

export type SimRepository = ReturnType<typeof repoJson>;

export interface SimInstallation {
  id: number;
  app_id: number;
  app_slug: string;
  account: SimUser;
  target_type: "Organization" | "User";
  repository_selection: "all" | "selected";
  permissions: Record<string, string>;
  events: string[];
  created_at: string;
  updated_at: string;
  suspended_at: null;
}

/** A stable numeric id for a login, so the same user looks the same in every response. */
function idFor(text: string): number {
  return Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 7), 16);
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}

/** Users are addressed on the public API, as in GitHub's payloads. */
const USERS_API = "https://api.github.com/users";

export function userJson(login: string, type: SimUser["type"] = "User"): SimUser {
  const id = idFor(login);
  const url = `${USERS_API}/${login}`;
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url,
    html_url: `${HTML_BASE}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

/** Every repository in the simulator was created and last pushed to at this time. */
const REPO_TIME = "2024-01-02T03:04:05Z";

/** A repository as GitHub's REST API and webhook payloads show it (every field they require). */
export function repoJson(
  repo: { id: number; owner: string; name: string; defaultBranch: string; private: boolean },
  apiBase: string,
) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${apiBase}/repos/${full}`;
  const html = `${HTML_BASE}/${full}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userJson(repo.owner, "Organization"),
    html_url: html,
    description: null,
    fork: false,
    url,
    ...urlTemplates(url),
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    license: null,
    topics: [],
    visibility: repo.private ? "private" : "public",
    has_discussions: false,
    created_at: REPO_TIME,
    updated_at: REPO_TIME,
    pushed_at: REPO_TIME,
  };
}

/** The `*_url` fields of a repository, which GitHub derives from its API URL. */
function urlTemplates(url: string) {
  return {
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
  };
}

export const DEFAULT_PERMISSIONS: Readonly<Record<string, string>> = {
  checks: "write",
  contents: "read",
  issues: "write",
  metadata: "read",
  pull_requests: "read",
};

export function installationJson(
  installation: { id: number; account: string; createdAt: string },
  app: { id: number; slug: string },
): SimInstallation {
  return {
    id: installation.id,
    app_id: app.id,
    app_slug: app.slug,
    account: userJson(installation.account, "Organization"),
    target_type: "Organization",
    repository_selection: "all",
    permissions: { ...DEFAULT_PERMISSIONS },
    events: ["pull_request", "pull_request_review", "issue_comment", "deployment_status"],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    suspended_at: null,
  };
}

export function appJson(app: { id: number; slug: string; owner: string; createdAt: string }) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    name: app.slug,
    owner: userJson(app.owner, "Organization"),
    description: "GitHub simulator app",
    external_url: `${HTML_BASE}/apps/${app.slug}`,
    html_url: `${HTML_BASE}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: { ...DEFAULT_PERMISSIONS },
    events: ["pull_request", "pull_request_review", "issue_comment", "deployment_status"],
    installations_count: 0,
  };
}

/** `2024-05-01T10:00:00Z`: GitHub's timestamps carry no milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A contents-API entry for one file (the default, JSON media type). */
export function fileJson(
  repo: { owner: string; name: string },
  path: string,
  text: string,
  apiBase: string,
) {
  const bytes = Buffer.from(text, "utf8");
  const sha = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  const url = `${apiBase}/repos/${repo.owner}/${repo.name}/contents/${path}`;
  return {
    type: "file",
    encoding: "base64",
    size: bytes.length,
    name: path.split("/").pop() ?? path,
    path,
    // GitHub wraps base64 content at 60 columns; decoders must tolerate the newlines.
    content: `${(bytes.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`,
    sha,
    url,
    git_url: `${apiBase}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
    html_url: `${HTML_BASE}/${repo.owner}/${repo.name}/blob/HEAD/${path}`,
    download_url: null,
    _links: { self: url },
  };
}

export function dirEntryJson(
  repo: { owner: string; name: string },
  path: string,
  type: "file" | "dir",
  apiBase: string,
) {
  return {
    type,
    name: path.split("/").pop() ?? path,
    path,
    url: `${apiBase}/repos/${repo.owner}/${repo.name}/contents/${path}`,
  };
}
