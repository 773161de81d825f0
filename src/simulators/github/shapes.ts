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
  type: "User" | "Organization" | "Bot";
  site_admin: false;
  html_url: string;
}

export interface SimRepository {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  owner: SimUser;
  html_url: string;
  url: string;
  default_branch: string;
  fork: false;
  archived: false;
}

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

export function userJson(login: string, type: SimUser["type"] = "User"): SimUser {
  const id = idFor(login);
  return {
    login,
    id,
    node_id: nodeId(type, id),
    type,
    site_admin: false,
    html_url: `${HTML_BASE}/${login}`,
  };
}

export function repoJson(
  repo: { id: number; owner: string; name: string; defaultBranch: string; private: boolean },
  apiBase: string,
): SimRepository {
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: userJson(repo.owner, "Organization"),
    html_url: `${HTML_BASE}/${repo.owner}/${repo.name}`,
    url: `${apiBase}/repos/${repo.owner}/${repo.name}`,
    default_branch: repo.defaultBranch,
    fork: false,
    archived: false,
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
