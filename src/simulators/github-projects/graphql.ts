/**
 * Answers `POST /graphql` as GitHub does for the Projects subset (schema.ts): the query is
 * parsed and validated by graphql-js against the subset, then run over `ProjectsState`.
 * Failures come back in GitHub's shape: HTTP 200 with `errors: [{ type, path, message }]`
 * (`NOT_FOUND`, `FORBIDDEN`) and `data` where the rest resolved.
 */
import { buildSchema, type GraphQLError, type GraphQLSchema, graphqlSync } from "graphql";
import { checkGraphql } from "../github/contract.js";
import {
  closingKeys,
  fieldValue,
  forbidden,
  GitHubError,
  notFound,
  type Page,
  page,
  type UpdateInput,
} from "./rules.js";
import { PROJECTS_SDL } from "./schema.js";
import type {
  ProjectsState,
  SimGitHubIssue,
  SimProject,
  SimProjectItem,
  SimPull,
} from "./state.js";

/** Who is asking: what its token can see, and whose name its comments carry. */
export interface GraphqlViewer {
  login: string;
  seesRepo(owner: string, repo: string): boolean;
  seesOrg(login: string): boolean;
  /** A pull request as the App's GitHub simulator holds it; the state's own pulls otherwise. */
  pull?(owner: string, repo: string, number: number): { body: string } | undefined;
}

export interface GraphqlReply {
  status: number;
  body: unknown;
}

let schema: GraphQLSchema | undefined;

export function answerGraphql(
  state: ProjectsState,
  viewer: GraphqlViewer,
  body: unknown,
): GraphqlReply {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
  if (typeof query !== "string") {
    return { status: 400, body: { message: "Problems parsing JSON" } };
  }
  checkGraphql(query, variables);
  schema ??= buildSchema(PROJECTS_SDL);
  const result = graphqlSync({
    schema,
    source: query,
    rootValue: root(state, viewer),
    variableValues: (variables ?? {}) as Record<string, unknown>,
  });
  const reply: Record<string, unknown> = {};
  if (result.data !== undefined) reply.data = result.data;
  if (result.errors?.length) reply.errors = result.errors.map(githubError);
  return { status: 200, body: reply };
}

function githubError(error: GraphQLError) {
  const original = error.originalError;
  return {
    ...(original instanceof GitHubError ? { type: original.type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

function root(state: ProjectsState, viewer: GraphqlViewer) {
  const owner = (login: string) => ({
    __typename: "Organization",
    id: `O_${login}`,
    login,
    projectV2: ({ number }: { number: number }) => {
      if (!viewer.seesOrg(login)) throw forbidden();
      const project = state.project(login, number);
      if (!project) throw notFound(`Could not resolve to a ProjectV2 with the number ${number}.`);
      return projectView(project);
    },
  });

  const projectView = (project: SimProject): object => ({
    __typename: "ProjectV2",
    id: project.id,
    number: project.number,
    title: project.title,
    url: `https://github.com/orgs/${project.owner}/projects/${project.number}`,
    owner: () => owner(project.owner),
    fields: (args: Page) => page(project.fields.map(fieldView), args),
    items: (args: Page) =>
      page(
        project.items.map((item) => itemView(project, item)),
        args,
      ),
  });

  const fieldView = (field: SimProject["fields"][number]) => ({
    __typename:
      field.dataType === "SINGLE_SELECT" ? "ProjectV2SingleSelectField" : "ProjectV2Field",
    id: field.id,
    name: field.name,
    dataType: field.dataType,
    options: ({ names }: { names?: string[] }) =>
      (field.options ?? []).filter((o) => !names || names.includes(o.name)),
  });

  const itemView = (project: SimProject, item: SimProjectItem): object => ({
    __typename: "ProjectV2Item",
    id: item.id,
    updatedAt: item.updatedAt,
    project: () => projectView(project),
    content: () => {
      const content = state.byNodeId(item.contentId);
      return content && "title" in content ? issueView(content) : null;
    },
    fieldValueByName: ({ name }: { name: string }) => {
      const field = project.fields.find((f) => f.name === name);
      const value = field ? item.values.get(field.id) : undefined;
      if (!field || value === undefined) return null;
      const id = `PVTFV_${item.id}_${field.id}`;
      if (field.dataType === "SINGLE_SELECT") {
        const option = field.options?.find((o) => o.id === value);
        return {
          __typename: "ProjectV2ItemFieldSingleSelectValue",
          id,
          name: option?.name ?? null,
          optionId: value,
        };
      }
      if (field.dataType === "NUMBER")
        return { __typename: "ProjectV2ItemFieldNumberValue", id, number: Number(value) };
      return { __typename: "ProjectV2ItemFieldTextValue", id, text: value };
    },
  });

  const repositoryView = (ownerLogin: string, name: string) => ({
    __typename: "Repository",
    id: `R_${ownerLogin}_${name}`,
    nameWithOwner: `${ownerLogin}/${name}`,
    owner: () => owner(ownerLogin),
    // Newest first whatever the order asked (the adapter asks CREATED_AT DESC).
    issues: (args: Page) => page(state.issuesOf(ownerLogin, name).map(issueView), args),
    issue: ({ number }: { number: number }) => {
      const issue = state.findIssue(ownerLogin, name, number);
      if (!issue) throw notFound(`Could not resolve to an Issue with the number of ${number}.`);
      return issueView(issue);
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = pullOf(ownerLogin, name, number);
      if (!pull) throw notFound(`Could not resolve to a PullRequest with the number of ${number}.`);
      return pullView(pull);
    },
  });

  const userView = (login: string) => ({ __typename: "User", id: `U_${login}`, login, name: null });

  const issueView = (issue: SimGitHubIssue): object => ({
    __typename: "Issue",
    id: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    assignees: (args: Page) => page(issue.assignees.map(userView), args),
    url: `https://github.com/${issue.owner}/${issue.repo}/issues/${issue.number}`,
    updatedAt: issue.updatedAt,
    repository: () => repositoryView(issue.owner, issue.repo),
    comments: (args: Page) =>
      page(
        issue.comments.map((c) => ({
          __typename: "IssueComment",
          id: c.id,
          body: c.body,
          author: { __typename: "Bot", id: `BOT_${c.author}`, login: c.author },
        })),
        args,
      ),
    // A token sees the items of the projects it may read; GitHub leaves the others out.
    projectItems: (args: Page) =>
      page(
        state
          .itemsOf(issue)
          .filter(({ project }) => viewer.seesOrg(project.owner))
          .map(({ project, item }) => itemView(project, item)),
        args,
      ),
  });

  const pullOf = (ownerLogin: string, name: string, number: number): SimPull | undefined => {
    const key = `${ownerLogin}/${name}#${number}`;
    const own = state.pulls.get(key);
    const shown = viewer.pull?.(ownerLogin, name, number);
    if (!shown) return own;
    return own ? { ...own, body: shown.body } : state.createPull(key, shown.body);
  };

  const pullView = (pull: SimPull) => ({
    __typename: "PullRequest",
    id: pull.id,
    number: pull.number,
    body: pull.body,
    closingIssuesReferences: (args: Page) =>
      page(
        closingKeys(pull)
          .map((key) => state.issues.get(key))
          .filter((issue): issue is SimGitHubIssue => issue !== undefined)
          .map(issueView),
        args,
      ),
  });

  const visibleRepo = (ownerLogin: string, name: string) => {
    if (!viewer.seesRepo(ownerLogin, name))
      throw notFound(`Could not resolve to a Repository with the name '${ownerLogin}/${name}'.`);
    return repositoryView(ownerLogin, name);
  };

  const mustProject = (id: string) => {
    const project = state.projects.find((p) => p.id === id);
    if (!project) throw notFound(`Could not resolve to a node with the global id of '${id}'`);
    if (!viewer.seesOrg(project.owner)) throw forbidden();
    return project;
  };

  return {
    organization: ({ login }: { login: string }) => owner(login),
    repository: ({ owner: ownerLogin, name }: { owner: string; name: string }) =>
      visibleRepo(ownerLogin, name),
    node: ({ id }: { id: string }) => {
      const found = state.byNodeId(id);
      if (!found) throw notFound(`Could not resolve to a node with the global id of '${id}'`);
      return "title" in found ? issueView(found) : pullView(found);
    },
    user: ({ login }: { login: string }) => userView(login),
    createIssue: ({ input }: { input: { repositoryId: string; title: string; body?: string } }) => {
      const [, repoOwner, repo] = /^R_([^_]+)_(.+)$/.exec(input.repositoryId) ?? [];
      if (!repoOwner || !repo || !viewer.seesRepo(repoOwner, repo))
        throw notFound(`Could not resolve to a node with the global id of '${input.repositoryId}'`);
      return { issue: issueView(state.createNext(repoOwner, repo, input.title, input.body ?? "")) };
    },
    // Assignees are replaced as given (GitHub's updateIssue); ids are the users' node ids.
    updateIssue: ({ input }: { input: { id: string; assigneeIds?: string[] | null } }) => {
      const issue = state.byNodeId(input.id);
      if (!issue || !("title" in issue))
        throw notFound(`Could not resolve to a node with the global id of '${input.id}'`);
      if (!viewer.seesRepo(issue.owner, issue.repo)) throw forbidden();
      if (input.assigneeIds) issue.assignees = input.assigneeIds.map((id) => id.replace(/^U_/, ""));
      issue.updatedAt = new Date().toISOString();
      return { issue: issueView(issue) };
    },
    addComment: ({ input }: { input: { subjectId: string; body: string } }) => {
      const subject = state.byNodeId(input.subjectId);
      if (!subject || !("title" in subject))
        throw notFound(`Could not resolve to a node with the global id of '${input.subjectId}'`);
      if (!viewer.seesRepo(subject.owner, subject.repo)) throw forbidden();
      const comment = state.addComment(subject, input.body, viewer.login);
      return {
        commentEdge: { node: { __typename: "IssueComment", ...comment, author: null } },
        subject: issueView(subject),
      };
    },
    addProjectV2ItemById: ({ input }: { input: { projectId: string; contentId: string } }) => {
      const project = mustProject(input.projectId);
      const content = state.byNodeId(input.contentId);
      if (!content || !("title" in content))
        throw notFound(`Could not resolve to a node with the global id of '${input.contentId}'`);
      return { item: itemView(project, state.addItem(project, content)) };
    },
    updateProjectV2ItemFieldValue: ({ input }: { input: UpdateInput }) => {
      const project = mustProject(input.projectId);
      const item = project.items.find((i) => i.id === input.itemId);
      if (!item)
        throw notFound(`Could not resolve to a node with the global id of '${input.itemId}'`);
      const field = project.fields.find((f) => f.id === input.fieldId);
      if (!field)
        throw notFound(`Could not resolve to a node with the global id of '${input.fieldId}'`);
      item.values.set(field.id, fieldValue(field, input.value));
      item.updatedAt = new Date().toISOString();
      return { projectV2Item: itemView(project, item) };
    },
  };
}
