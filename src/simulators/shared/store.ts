/**
 * In-memory issues shared by both simulators: keys with aliases after a move, a workflow per
 * queue/project, field values, comments and remote links. Rendering to each tracker's JSON
 * lives in the tracker's own folder.
 */

import { QueueWorkflows } from "./queue-workflows.js";
import type {
  CreateIssueOptions,
  IssueSnapshot,
  SimComment,
  SimIssue,
  SimRemoteLink,
  SimVersion,
} from "./sim-issue.js";
import { nowIso, snapshotOf } from "./sim-issue.js";
import {
  type SimStatus,
  type SimTransition,
  type SimWorkflow,
  transitionsFrom,
} from "./workflow.js";

// Re-exported so a tracker simulator takes the store and its issue shapes from one module.
export type {
  CreateIssueOptions,
  ForbiddenMode,
  IssueSnapshot,
  SimComment,
  SimIssue,
  SimRemoteLink,
  SimVersion,
} from "./sim-issue.js";
export { isForbidden, nowIso } from "./sim-issue.js";

const KEY = /^([A-Z][A-Z0-9_]*)-(\d+)$/;

export class IssueStore extends QueueWorkflows {
  private issues = new Map<string, SimIssue>();
  private aliasTo = new Map<string, string>();
  private counters = new Map<string, number>();
  private seq = 0;
  private versions: SimVersion[] = [];
  private commentSeq = 0;
  private linkSeq = 0;
  private userIds = new Map<string, string>();

  constructor(makeDefaultWorkflow: () => SimWorkflow) {
    super(makeDefaultWorkflow);
  }

  reset(): void {
    this.issues.clear();
    this.aliasTo.clear();
    this.counters.clear();
    this.versions = [];
    this.resetWorkflows();
    this.acceptsDuplicateVersions = false;
  }

  create(key: string, options: CreateIssueOptions = {}): SimIssue {
    const match = KEY.exec(key);
    if (!match) throw new Error(`"${key}" is not an issue key like PROJ-1`);
    if (this.find(key)) throw new Error(`issue ${key} already exists in the simulator`);
    const queue = match[1]!;
    const number = Number(match[2]);
    this.counters.set(queue, Math.max(this.counters.get(queue) ?? 0, number));
    const workflow = this.workflowFor(queue);
    const status = this.statusRef(workflow, options.status ?? workflow.initial);
    const at = nowIso();
    const issue: SimIssue = {
      seq: ++this.seq,
      key,
      aliases: [],
      queue,
      status: status.key,
      fields: { summary: `Issue ${key}`, ...options.fields },
      comments: [],
      links: [],
      fixVersions: [],
      forbidden: options.forbidden ?? false,
      version: 1,
      createdAt: at,
      updatedAt: at,
      ...(options.assignee ? { assignee: options.assignee } : {}),
      ...(options.unique ? { unique: options.unique } : {}),
    };
    this.issues.set(key, issue);
    return issue;
  }

  /** Creates an issue under the queue's next number, as the trackers' create calls do. */
  createNext(queue: string, options: CreateIssueOptions = {}): SimIssue {
    if (!/^[A-Z][A-Z0-9_]*$/.test(queue)) throw new Error(`"${queue}" is not a queue key`);
    return this.create(`${queue}-${(this.counters.get(queue) ?? 0) + 1}`, options);
  }

  /** A user's numeric id (Yandex `uid`), stable for the simulator's life. */
  userId(login: string): string {
    let id = this.userIds.get(login);
    if (id === undefined) {
      id = String(1_130_000_000 + this.userIds.size + 1);
      this.userIds.set(login, id);
    }
    return id;
  }

  /** The issue created with this Yandex `unique` value, if any. */
  findByUnique(unique: string): SimIssue | undefined {
    return [...this.issues.values()].find((issue) => issue.unique === unique);
  }

  /** Issues whose `labels` field holds `label` (Jira), oldest first. */
  withLabel(label: string): SimIssue[] {
    return [...this.issues.values()].filter(
      (issue) => Array.isArray(issue.fields.labels) && issue.fields.labels.includes(label),
    );
  }

  /** Deletes the remote link with this `globalId`; false when there was none. */
  removeLink(issue: SimIssue, globalId: string): boolean {
    const before = issue.links.length;
    issue.links = issue.links.filter((link) => link.globalId !== globalId);
    if (issue.links.length === before) return false;
    this.touch(issue);
    return true;
  }

  findComment(issue: SimIssue, id: number): SimComment | undefined {
    return issue.comments.find((comment) => comment.id === id);
  }

  deleteComment(issue: SimIssue, id: number): boolean {
    const before = issue.comments.length;
    issue.comments = issue.comments.filter((comment) => comment.id !== id);
    if (issue.comments.length === before) return false;
    this.touch(issue);
    return true;
  }

  setAssignee(issue: SimIssue, login: string | null): void {
    if (login === null) delete issue.assignee;
    else issue.assignee = login;
    this.touch(issue);
  }

  /** Issues of these queues/projects updated at or after `since` (epoch ms), oldest first. */
  updatedSince(queues: readonly string[], since: number): SimIssue[] {
    return [...this.issues.values()]
      .filter((issue) => queues.includes(issue.queue) && Date.parse(issue.updatedAt) >= since)
      .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
  }

  /**
   * The issue whose key ends in `-<number>`: Redmine and Request Tracker name issues by number
   * alone (their simulators keep numbers unique across projects).
   */
  findNumber(number: string): SimIssue | undefined {
    for (const issue of this.issues.values()) {
      if (KEY.exec(issue.key)?.[2] === number) return issue;
    }
    return undefined;
  }

  /** Every issue, oldest first. */
  all(): SimIssue[] {
    return [...this.issues.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Finds an issue by its current key or any earlier key. */
  find(key: string): SimIssue | undefined {
    return this.issues.get(key) ?? this.issues.get(this.aliasTo.get(key) ?? "");
  }

  mustFind(key: string): SimIssue {
    const issue = this.find(key);
    if (!issue) throw new Error(`no issue ${key} in the simulator`);
    return issue;
  }

  /** Deletes the issue found by its current or an earlier key; its earlier keys stop resolving. */
  delete(key: string): void {
    const issue = this.mustFind(key);
    this.issues.delete(issue.key);
    for (const alias of issue.aliases) this.aliasTo.delete(alias);
  }

  /** Moves to another queue: the issue gets the next key there; old keys keep resolving. */
  move(key: string, queue: string): SimIssue {
    if (!/^[A-Z][A-Z0-9_]*$/.test(queue)) throw new Error(`"${queue}" is not a queue key`);
    const issue = this.mustFind(key);
    const number = (this.counters.get(queue) ?? 0) + 1;
    this.counters.set(queue, number);
    const newKey = `${queue}-${number}`;
    this.issues.delete(issue.key);
    issue.aliases.push(issue.key);
    for (const alias of issue.aliases) this.aliasTo.set(alias, newKey);
    issue.key = newKey;
    issue.queue = queue;
    this.issues.set(newKey, issue);
    this.touch(issue);
    return issue;
  }

  status(issue: SimIssue): SimStatus {
    const workflow = this.workflowFor(issue.queue);
    // A workflow swapped under an existing issue: show the bare key rather than crash.
    const bare = { key: issue.status, display: issue.status, id: issue.status };
    return workflow.statuses.find((s) => s.key === issue.status) ?? bare;
  }

  transitions(issue: SimIssue): SimTransition[] {
    return transitionsFrom(this.workflowFor(issue.queue), issue.status);
  }

  setStatus(issue: SimIssue, ref: string): void {
    const status = this.statusRef(this.workflowFor(issue.queue), ref);
    issue.previousStatus = issue.status;
    issue.status = status.key;
    this.touch(issue);
  }

  addComment(issue: SimIssue, text: string, adf?: unknown): SimComment {
    const comment: SimComment = { id: ++this.commentSeq, text, createdAt: nowIso() };
    if (adf !== undefined) comment.adf = adf;
    issue.comments.push(comment);
    this.touch(issue);
    return comment;
  }

  /** Create-or-update by `globalId`, as Jira does. */
  upsertLink(
    issue: SimIssue,
    link: Omit<SimRemoteLink, "id">,
  ): { link: SimRemoteLink; created: boolean } {
    const existing = link.globalId
      ? issue.links.find((l) => l.globalId === link.globalId)
      : undefined;
    if (existing) {
      Object.assign(existing, link);
      this.touch(issue);
      return { link: existing, created: false };
    }
    const created = { ...link, id: ++this.linkSeq };
    issue.links.push(created);
    this.touch(issue);
    return { link: created, created: true };
  }

  /** Every queue/project that has an issue or a version. */
  queues(): string[] {
    const withIssues = [...this.issues.values()].map((i) => i.queue);
    return [...new Set([...withIssues, ...this.versions.map((v) => v.queue)])];
  }

  /** A queue/project exists once it has an issue, a version or a workflow of its own. */
  hasQueue(queue: string): boolean {
    return this.workflows.has(queue) || this.queues().includes(queue);
  }

  listVersions(queue: string): SimVersion[] {
    return this.versions.filter((v) => v.queue === queue);
  }

  findVersion(id: string): SimVersion | undefined {
    return this.versions.find((v) => v.id === id);
  }

  /**
   * A second version of the same name in one project/queue is refused, unless the test says
   * the tracker accepts it: neither Yandex Tracker's nor Jira's documentation promises a refusal.
   */
  acceptsDuplicateVersions = false;

  createVersion(queue: string, name: string): SimVersion | "duplicate" {
    const taken = this.listVersions(queue).some((v) => v.name === name);
    if (taken && !this.acceptsDuplicateVersions) return "duplicate";
    const version = { id: String(10_000 + this.versions.length + 1), name, queue, released: false };
    this.versions.push(version);
    return version;
  }

  addFixVersion(issue: SimIssue, version: SimVersion): void {
    if (!issue.fixVersions.includes(version.id)) issue.fixVersions.push(version.id);
    this.touch(issue);
  }

  touch(issue: SimIssue): void {
    issue.version += 1;
    issue.updatedAt = nowIso();
  }

  snapshot(issue: SimIssue): IssueSnapshot {
    return snapshotOf(issue, this.status(issue), (id) => this.findVersion(id)?.name ?? id);
  }
}
