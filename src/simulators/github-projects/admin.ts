/**
 * Setting up and inspecting the simulated projects without going through GraphQL: tests, the
 * demo and the benchmarks use it, on the standalone simulator and on the App's GitHub
 * simulator alike (`github.projects`).
 */
import { type ProjectsState, parseIssueKey, type SimFieldType, type SimProject } from "./state.js";

export interface CreateProjectIssueOptions {
  title?: string;
  /** False: the issue is not on the project (GitHub Projects adds it on the first write). */
  onProject?: boolean;
  /** The Status option's name; null or absent: on the project with no status. */
  status?: string | null;
  /** Other fields of the project item, by field name. */
  fields?: Record<string, string>;
}

export interface ProjectIssueSnapshot {
  key: string;
  id: string;
  onProject: boolean;
  /** The Status option's name, or null. */
  status: string | null;
  /** The item's other field values by field name (Status excluded). */
  fields: Record<string, string>;
  comments: string[];
  /** Assignees' logins. */
  assignees: string[];
}

export interface ProjectsAdmin {
  createIssue(key: string, options?: CreateProjectIssueOptions): ProjectIssueSnapshot;
  getIssue(key: string): ProjectIssueSnapshot;
  hasIssue(key: string): boolean;
  /** Someone moved the card by hand (`status`) or edited a field. */
  updateIssue(key: string, values: Record<string, string | null>): ProjectIssueSnapshot;
  /** A pull request whose body's closing keywords GitHub reads; `linked`: linked by hand. */
  createPull(key: string, body: string, linked?: string[]): void;
  /** The project the simulator starts with (owner and number as started). */
  project(): SimProject;
  defineField(name: string, dataType: SimFieldType, options?: string[]): void;
  /** The Status field's option names, in order. */
  statusOptions(): string[];
  reset(): void;
  /** Keys of the repository's (`owner/repo`) issues, newest first. */
  issueKeys(repo: string): string[];
}

export function createProjectsAdmin(state: ProjectsState, statusField = "Status"): ProjectsAdmin {
  const snapshot = (key: string): ProjectIssueSnapshot => {
    const issue = state.mustFindIssue(key);
    const project = state.defaultProject();
    const item = project.items.find((i) => i.contentId === issue.id);
    const fields: Record<string, string> = {};
    let status: string | null = null;
    for (const field of project.fields) {
      const value = item?.values.get(field.id);
      if (value === undefined) continue;
      const shown =
        field.dataType === "SINGLE_SELECT"
          ? (field.options?.find((o) => o.id === value)?.name ?? value)
          : value;
      if (field.name === statusField) status = shown;
      else fields[field.name] = shown;
    }
    return {
      key,
      id: issue.id,
      onProject: item !== undefined,
      status,
      fields,
      comments: issue.comments.map((c) => c.body),
      assignees: [...issue.assignees],
    };
  };

  const admin: ProjectsAdmin = {
    createIssue(key, options = {}) {
      const issue = state.createIssue(key, options.title);
      if (options.onProject !== false) {
        const project = state.defaultProject();
        const item = state.addItem(project, issue);
        if (options.status) state.setValue(project, item, statusField, options.status);
        for (const [name, value] of Object.entries(options.fields ?? {}))
          state.setValue(project, item, name, value);
      }
      return snapshot(key);
    },
    getIssue: snapshot,
    hasIssue: (key) => state.issues.has(key),
    updateIssue(key, values) {
      const project = state.defaultProject();
      const item = state.addItem(project, state.mustFindIssue(key));
      for (const [name, value] of Object.entries(values))
        state.setValue(project, item, name, value);
      return snapshot(key);
    },
    createPull(key, body, linked = []) {
      parseIssueKey(key);
      state.createPull(key, body, linked);
    },
    project: () => state.defaultProject(),
    defineField(name, dataType, options) {
      const project = state.defaultProject();
      project.fields = project.fields.filter((f) => f.name !== name);
      project.fields.push({
        id: state.nextId(dataType === "SINGLE_SELECT" ? "PVTSSF" : "PVTF"),
        name,
        dataType,
        ...(options ? { options: options.map((o) => ({ id: state.optionId(), name: o })) } : {}),
      });
    },
    statusOptions: () =>
      (state.defaultProject().fields.find((f) => f.name === statusField)?.options ?? []).map(
        (o) => o.name,
      ),
    reset: () => state.reset(),
    issueKeys: (repo) => {
      const [owner = "", name = ""] = repo.split("/");
      return state.issuesOf(owner, name).map((issue) => state.issueKey(issue));
    },
  };
  return admin;
}
