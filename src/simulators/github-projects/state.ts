/**
 * The simulated GitHub Projects world: organization projects with their fields and items,
 * the GitHub issues they hold (keyed `owner/repo#123`), the issues' comments, and pull
 * requests whose bodies say which issues they close. Node ids follow GitHub's prefixes
 * (`I_`, `PVT_`, `PVTI_`, `PVTSSF_`, `PVTF_`, `IC_`, `PR_`), so a wrong id kind is visible.
 */

export type SimFieldType = "SINGLE_SELECT" | "TEXT" | "NUMBER" | "TITLE";

export interface SimProjectField {
  id: string;
  name: string;
  dataType: SimFieldType;
  /** Single-select options, in order. */
  options?: Array<{ id: string; name: string }>;
}

export interface SimProjectItem {
  id: string;
  /** The issue's node id. */
  contentId: string;
  /** Field id → option id (single select) or the value as text. */
  values: Map<string, string>;
  updatedAt: string;
}

export interface SimProject {
  id: string;
  owner: string;
  number: number;
  title: string;
  fields: SimProjectField[];
  items: SimProjectItem[];
}

export interface SimGitHubIssue {
  id: string;
  owner: string;
  repo: string;
  number: number;
  title: string;
  comments: Array<{ id: string; body: string; author: string }>;
  updatedAt: string;
  /** Logins, in the order they were assigned. */
  assignees: string[];
  body?: string;
}

export interface SimPull {
  id: string;
  owner: string;
  repo: string;
  number: number;
  body: string;
  /** Issues linked by hand (the "Development" sidebar), as keys. */
  linked: string[];
}

/** The default project's status options, with GitHub's defaults first and last. */
export const DEFAULT_STATUS_OPTIONS = [
  "Todo",
  "In Progress",
  "In Review",
  "Needs Improvement",
  "Ready for Test",
  "Done",
];

const KEY = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#([1-9]\d*)$/;

export function parseIssueKey(key: string): { owner: string; repo: string; number: number } {
  const match = KEY.exec(key);
  if (!match) throw new Error(`"${key}" is not an issue key like acme/web#12`);
  return { owner: match[1]!, repo: match[2]!, number: Number(match[3]) };
}

const keyOf = (owner: string, repo: string, number: number) => `${owner}/${repo}#${number}`;

export class ProjectsState {
  projects: SimProject[] = [];
  readonly issues = new Map<string, SimGitHubIssue>();
  readonly pulls = new Map<string, SimPull>();
  private seq = 0;

  constructor(private readonly defaults: { owner: string; number: number }) {
    this.reset();
  }

  reset(): void {
    this.projects = [];
    this.issues.clear();
    this.pulls.clear();
    this.addProject(this.defaults.owner, this.defaults.number, "Roadmap");
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_sim${this.seq.toString(36).padStart(6, "0")}`;
  }

  /** A project with GitHub's default Title and Status fields plus a "Bench link" text field. */
  addProject(owner: string, number: number, title: string): SimProject {
    const project: SimProject = {
      id: this.nextId("PVT"),
      owner,
      number,
      title,
      fields: [
        { id: this.nextId("PVTF"), name: "Title", dataType: "TITLE" },
        {
          id: this.nextId("PVTSSF"),
          name: "Status",
          dataType: "SINGLE_SELECT",
          options: DEFAULT_STATUS_OPTIONS.map((name) => ({ id: this.optionId(), name })),
        },
        { id: this.nextId("PVTF"), name: "Bench link", dataType: "TEXT" },
        { id: this.nextId("PVTF"), name: "Estimate", dataType: "NUMBER" },
      ],
      items: [],
    };
    this.projects.push(project);
    return project;
  }

  /** GitHub's option ids are 8 hex digits. */
  optionId(): string {
    this.seq += 1;
    return (0x1a2b0000 + this.seq).toString(16);
  }

  project(owner: string, number: number): SimProject | undefined {
    return this.projects.find(
      (p) => p.owner.toLowerCase() === owner.toLowerCase() && p.number === number,
    );
  }

  defaultProject(): SimProject {
    const project = this.project(this.defaults.owner, this.defaults.number);
    if (!project) throw new Error("the default project was removed");
    return project;
  }

  createIssue(key: string, title?: string): SimGitHubIssue {
    const { owner, repo, number } = parseIssueKey(key);
    if (this.issues.has(key)) throw new Error(`issue ${key} already exists in the simulator`);
    const issue: SimGitHubIssue = {
      id: this.nextId("I"),
      owner,
      repo,
      number,
      title: title ?? `Issue ${number}`,
      comments: [],
      updatedAt: new Date().toISOString(),
      assignees: [],
    };
    this.issues.set(key, issue);
    return issue;
  }

  /** A new issue under the repository's next number (issues and pulls share numbers). */
  createNext(owner: string, repo: string, title: string, body: string): SimGitHubIssue {
    const taken = [...this.issues.values(), ...this.pulls.values()]
      .filter((i) => i.owner === owner && i.repo === repo)
      .map((i) => i.number);
    const issue = this.createIssue(keyOf(owner, repo, Math.max(0, ...taken) + 1), title);
    issue.body = body;
    return issue;
  }

  /** The repository's issues, newest first. */
  issuesOf(owner: string, repo: string): SimGitHubIssue[] {
    return [...this.issues.values()]
      .filter((i) => i.owner === owner && i.repo === repo)
      .sort((a, b) => b.number - a.number);
  }

  findIssue(owner: string, repo: string, number: number): SimGitHubIssue | undefined {
    return this.issues.get(keyOf(owner, repo, number));
  }

  mustFindIssue(key: string): SimGitHubIssue {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`no issue ${key} in the simulator`);
    return issue;
  }

  issueKey(issue: SimGitHubIssue): string {
    return keyOf(issue.owner, issue.repo, issue.number);
  }

  createPull(key: string, body: string, linked: string[] = []): SimPull {
    const { owner, repo, number } = parseIssueKey(key);
    const pull = { id: this.nextId("PR"), owner, repo, number, body, linked };
    this.pulls.set(key, pull);
    return pull;
  }

  /** Adds the issue to the project; an issue already there keeps its item (GitHub does the same). */
  addItem(project: SimProject, issue: SimGitHubIssue): SimProjectItem {
    const existing = project.items.find((item) => item.contentId === issue.id);
    if (existing) return existing;
    const item: SimProjectItem = {
      id: this.nextId("PVTI"),
      contentId: issue.id,
      values: new Map(),
      updatedAt: new Date().toISOString(),
    };
    project.items.push(item);
    return item;
  }

  itemsOf(issue: SimGitHubIssue): Array<{ project: SimProject; item: SimProjectItem }> {
    return this.projects.flatMap((project) =>
      project.items
        .filter((item) => item.contentId === issue.id)
        .map((item) => ({ project, item })),
    );
  }

  byNodeId(id: string): SimGitHubIssue | SimPull | undefined {
    for (const issue of this.issues.values()) if (issue.id === id) return issue;
    for (const pull of this.pulls.values()) if (pull.id === id) return pull;
    return undefined;
  }

  addComment(issue: SimGitHubIssue, body: string, author: string) {
    const comment = { id: this.nextId("IC"), body, author };
    issue.comments.push(comment);
    issue.updatedAt = new Date().toISOString();
    return comment;
  }

  /** Sets a field value by field and option name (admin: someone moved the card by hand). */
  setValue(project: SimProject, item: SimProjectItem, fieldName: string, value: string | null) {
    const field = project.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`project ${project.title} has no field ${fieldName}`);
    if (value === null) item.values.delete(field.id);
    else if (field.dataType === "SINGLE_SELECT") {
      const option = field.options?.find((o) => o.name === value);
      if (!option) throw new Error(`field ${fieldName} has no option ${value}`);
      item.values.set(field.id, option.id);
    } else item.values.set(field.id, value);
    item.updatedAt = new Date().toISOString();
  }
}
