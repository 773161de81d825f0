/**
 * GitHub's GraphQL answers turned into port types. Fields read: `ProjectV2.{id,number,title,
 * fields.nodes{id,name,dataType,options{id,name}}}`, `Issue.{id,projectItems.nodes{id,project{id,
 * number,owner{login}},status{name,optionId}}}`, `Issue.comments.nodes{id,body}`,
 * `ProjectV2.items.nodes{updatedAt,content{number,repository{nameWithOwner}}}`.
 *
 * Statuses are the options of the project's single-select status field: the key is the
 * option id (it survives a rename), the display its name. A single select has no transition
 * rules, so every option is reachable from every other in one write.
 */
import type { WorkflowGraph } from "../../core/route.js";
import { githubIssueKey } from "../../core/scan-github-refs.js";
import type { StatusCategory, TrackerStatus, TrackerTransition } from "../../core/types.js";
import type { TrackerComment } from "../port.js";

/** `acme/web#12` split; null when the key is not one. */
export function parseIssueRef(key: string): { owner: string; repo: string; number: number } | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)#([1-9]\d{0,9})$/.exec(key);
  return match ? { owner: match[1]!, repo: match[2]!, number: Number(match[3]) } : null;
}

/** An issue's GraphQL node id (`I_kwDO…`), as `projects_v2_item` webhooks name the content. */
export const ISSUE_NODE_ID = /^I_[A-Za-z0-9_-]+$/;

/**
 * `acme/web#12` of an issue read with its number and repository: core's `githubIssueKey`, the
 * one way a GitHub issue key is written (lower case, as the keys found in a PR are).
 */
export function issueKeyOf(issue: unknown): string | undefined {
  const node = issue as { number?: unknown; repository?: { nameWithOwner?: unknown } } | null;
  const repo = node?.repository?.nameWithOwner;
  return typeof repo === "string" && typeof node?.number === "number"
    ? (githubIssueKey(`${repo}#${node.number}`) ?? undefined)
    : undefined;
}

export interface ProjectField {
  id: string;
  name: string;
  dataType: string;
  options: Array<{ id: string; name: string }>;
}

export interface ProjectMeta {
  id: string;
  title: string;
  url: string;
  fields: ProjectField[];
}

/** The status an item has before anyone set one, or when the issue is not on the project. */
export const NO_STATUS: TrackerStatus = {
  key: "no-status",
  display: "No Status",
  category: "todo",
};

/**
 * GitHub's default Status options are Todo, In Progress and Done; teams add their own. Names
 * that say "not started" or "finished" get those categories, every other option is in
 * progress. A connection's `statusCategories` (option name → category) overrides this.
 */
const TODO = /^(todo|to do|backlog|new|triage|open|ready|icebox|no status)$/i;
const DONE =
  /^(done|closed|complete|completed|shipped|released|resolved|cancell?ed|won'?t (do|fix))$/i;

export function categoryOf(
  name: string,
  overrides: Readonly<Record<string, StatusCategory>> = {},
): StatusCategory {
  const configured = Object.entries(overrides).find(
    ([option]) => option.toLowerCase() === name.toLowerCase(),
  );
  if (configured) return configured[1];
  if (TODO.test(name.trim())) return "todo";
  return DONE.test(name.trim()) ? "done" : "in_progress";
}

export function mapProject(body: unknown): ProjectMeta | null {
  const project = (body as { projectV2?: unknown } | null)?.projectV2 as
    | { id?: unknown; title?: unknown; url?: unknown; fields?: { nodes?: unknown[] } }
    | null
    | undefined;
  if (!project || typeof project.id !== "string") return null;
  const fields = (project.fields?.nodes ?? []).flatMap((node): ProjectField[] => {
    const f = node as { id?: unknown; name?: unknown; dataType?: unknown; options?: unknown };
    if (typeof f?.id !== "string" || typeof f.name !== "string") return [];
    const options = Array.isArray(f.options)
      ? f.options.filter(
          (o): o is { id: string; name: string } =>
            typeof o?.id === "string" && typeof o?.name === "string",
        )
      : [];
    return [{ id: f.id, name: f.name, dataType: String(f.dataType ?? ""), options }];
  });
  return {
    id: project.id,
    title: String(project.title ?? ""),
    url: String(project.url ?? ""),
    fields,
  };
}

export function statusesOf(
  field: ProjectField,
  overrides?: Readonly<Record<string, StatusCategory>>,
): TrackerStatus[] {
  return field.options.map((o) => ({
    key: o.id,
    display: o.name,
    category: categoryOf(o.name, overrides),
  }));
}

/** Every option but the current one: a single select can be set to any of them. */
export function transitionsFrom(statuses: TrackerStatus[], current: string): TrackerTransition[] {
  return statuses
    .filter((s) => s.key !== current)
    .map((s) => ({ id: s.key, display: s.display, to: s }));
}

/** All options reach all options; new items start with no status. */
export function completeGraph(statuses: TrackerStatus[]): WorkflowGraph {
  const all = [NO_STATUS, ...statuses];
  return {
    statuses: all,
    edges: all.flatMap((from) =>
      transitionsFrom(statuses, from.key).map((transition) => ({ from: from.key, transition })),
    ),
    initial: NO_STATUS.key,
    source: "tracker",
  };
}

export interface IssueOnProject {
  issueId: string;
  /** Null: the issue is not on the project. */
  itemId: string | null;
  /** The status option's id and name, or null when none is set. */
  status: { optionId: string; name: string } | null;
}

/** The issue's item on the project `owner`/`number`, if it has one. */
export function mapIssueOnProject(
  issue: unknown,
  project: { owner: string; number: number },
): IssueOnProject | null {
  const node = issue as { id?: unknown; projectItems?: { nodes?: unknown[] } } | null;
  if (typeof node?.id !== "string") return null;
  const item = (node.projectItems?.nodes ?? []).find((n) => {
    const p = (n as { project?: { number?: unknown; owner?: { login?: unknown } } })?.project;
    return (
      p?.number === project.number &&
      String(p.owner?.login ?? "").toLowerCase() === project.owner.toLowerCase()
    );
  }) as { id?: unknown; status?: { name?: unknown; optionId?: unknown } | null } | undefined;
  if (!item || typeof item.id !== "string") return { issueId: node.id, itemId: null, status: null };
  const status = item.status;
  return {
    issueId: node.id,
    itemId: item.id,
    status:
      typeof status?.optionId === "string" && typeof status.name === "string"
        ? { optionId: status.optionId, name: status.name }
        : null,
  };
}

export function mapComments(issue: unknown): TrackerComment[] {
  const nodes = (issue as { comments?: { nodes?: unknown[] } } | null)?.comments?.nodes ?? [];
  return nodes.flatMap((n) => {
    const c = n as { id?: unknown; body?: unknown } | null;
    return typeof c?.id === "string" && typeof c.body === "string"
      ? [{ id: c.id, text: c.body }]
      : [];
  });
}

/** Keys (`owner/repo#N`) of the issue items updated at or after `since` (epoch ms). */
export function updatedIssueKeys(nodes: readonly unknown[], since: number): string[] {
  return nodes.flatMap((n) => {
    const item = n as { updatedAt?: unknown; content?: unknown } | null;
    const key = issueKeyOf(item?.content);
    return key && Date.parse(String(item?.updatedAt)) >= since ? [key] : [];
  });
}

/**
 * `trackbridge plan --workflow`: a project as PROJECT_QUERY answers it (`{ data: {
 * organization: { projectV2 } } }`, or the `organization` or `projectV2` part), its "Status"
 * field (else its first single select) as the workflow.
 */
export function readProjectFile(json: unknown): WorkflowGraph | undefined {
  const body = json as { data?: { organization?: unknown }; organization?: unknown } | null;
  const project = mapProject(body?.data?.organization ?? body?.organization ?? json);
  const selects = project?.fields.filter((f) => f.options.length > 0) ?? [];
  const status = selects.find((f) => f.name.toLowerCase() === "status") ?? selects[0];
  return status ? completeGraph(statusesOf(status)) : undefined;
}
