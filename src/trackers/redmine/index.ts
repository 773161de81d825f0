/**
 * The Redmine adapter behind the `Tracker` port. Keys are `<prefix>-<id>` (`RM-4521`).
 *
 * Redmine answers `PUT /issues/{id}.json` with 204 whatever it kept: a `status_id` the
 * workflow does not allow from the current status is dropped without a word (also when the
 * workflow changed after the read), and so is a custom field the role may not edit. So every
 * status and field write is followed by a read, and "unchanged" is reported as refused,
 * never as done. Routing works on a learned graph: Redmine serves no workflow API, but each
 * read with `include=allowed_statuses` shows the transitions from where the issue stands.
 */
import type { TrackerConnection } from "../connection.js";
import { TrackerError } from "../errors.js";
import type { HttpDeps } from "../http.js";
import { linkByComment } from "../link-by-comment.js";
import { numericKeys } from "../numeric-key.js";
import type { Tracker, TrackerIssue } from "../port.js";
import { createWorkflowCache, type GraphRead } from "../workflow-cache.js";
import { createRedmineClient } from "./client.js";
import {
  type CustomFieldRef,
  findCustomField,
  firstProject,
  issueOf,
  mapCreatedVersion,
  mapCustomFields,
  mapJournals,
  mapProjectScope,
  mapScope,
  mapStatus,
  mapStatusGraph,
  mapTransitions,
  mapVersions,
} from "./map.js";
import { redmineOtherDirection } from "./other-direction.js";

export function createRedmineTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createRedmineClient(connection, deps);
  const keys = numericKeys(connection);
  const workflows = createWorkflowCache();
  const fail = (kind: TrackerError["kind"], message: string) =>
    new TrackerError(kind, message, { connection: connection.name });

  // The statuses with their categories; the edges are the learned ones the cache adds.
  const readGraph = async (): Promise<GraphRead> => {
    const [statuses, trackers] = await Promise.all([client.statuses(), client.trackers()]);
    return mapStatusGraph(statuses, trackers);
  };

  const read = async (key: string, include: string[]) => {
    const id = keys.id(key);
    return { id, issue: issueOf(await client.getIssue(id, key, include)) };
  };

  const toIssue = (id: string, body: Record<string, unknown>, transitions: boolean) => {
    const issue: TrackerIssue = { key: keys.key(id), aliases: [], status: mapStatus(body.status) };
    const scope = mapScope(body);
    if (scope) issue.scope = scope;
    if (transitions) {
      issue.transitions = mapTransitions(body);
      workflows.learn(scope, issue.status, issue.transitions);
    }
    return issue;
  };

  const resolveField = async (key: string, ref: string): Promise<CustomFieldRef> => {
    const { issue } = await read(key, []);
    const onIssue = mapCustomFields(issue.custom_fields);
    const found = findCustomField(onIssue, ref);
    if (found) return found;
    // The full list needs an administrator's key; it only sharpens the message.
    const all = await client.customFields().then(
      (body) => mapCustomFields((body as { custom_fields?: unknown } | undefined)?.custom_fields),
      () => [] as CustomFieldRef[],
    );
    const known = findCustomField(all, ref);
    const names = onIssue.map((f) => `"${f.name}" (${f.id})`).join(", ") || "none";
    throw fail(
      "invalid",
      known
        ? `custom field "${known.name}" (${known.id}) is not enabled for ${key}'s project and tracker in ${connection.name}`
        : `no custom field "${ref}" on ${key} in ${connection.name}; its custom fields: ${names}`,
    );
  };

  const tracker: Tracker = {
    connection: connection.name,
    type: "redmine",

    async getIssue(key, options = {}) {
      const transitions = options.transitions === true;
      const { id, issue } = await read(key, transitions ? ["allowed_statuses"] : []);
      return toIssue(id, issue, transitions);
    },

    // Two requests: the PUT, and the read that shows whether Redmine kept the status.
    async executeTransition(key, transitionId) {
      const id = keys.id(key);
      await client.updateIssue(id, key, `transition ${key}`, { status_id: Number(transitionId) });
      const after = toIssue(
        id,
        issueOf(await client.getIssue(id, key, ["allowed_statuses"])),
        true,
      );
      if (after.status.key !== transitionId) {
        const offered = after.transitions?.map((t) => t.display).join(", ") || "none";
        throw fail(
          "invalid",
          `${connection.name} kept ${key} in ${after.status.display}: the workflow does not let this token's role set status ${transitionId} from there (Redmine answers such a change with 204 and ignores it); allowed from ${after.status.display}: ${offered}`,
        );
      }
      return after.transitions ?? [];
    },

    workflow: (issue, options = {}) => workflows.get(issue.scope, readGraph, options.refresh),

    // Redmine has no workflow API: statuses with categories, and no edges until learned.
    async projectWorkflow(project) {
      // A 404 here: no such project.
      const scope = mapProjectScope(asProject(await client.project(project)));
      const read = await readGraph();
      const graph = await workflows.get(scope ?? undefined, async () => read);
      return {
        statuses: graph.statuses,
        graph: {
          ...graph,
          unreadable:
            "Redmine has no REST API for its workflows: routes are learned from each issue's allowed statuses",
        },
      };
    },

    async setField(key, field, value) {
      const target = await resolveField(key, field);
      const id = keys.id(key);
      const label = `"${target.name}" (${target.id})`;
      await client.updateIssue(id, key, `set ${label} on ${key}`, {
        custom_fields: [{ id: Number(target.id), value }],
      });
      const stored = findCustomField(
        mapCustomFields((await read(key, [])).issue.custom_fields),
        target.id,
      );
      if (stored?.value !== value) {
        throw fail(
          "invalid",
          `${connection.name} did not store ${label} on ${key}: the field is read-only for this token's role in ${key}'s current status (Redmine drops such a change without an error)`,
        );
      }
    },

    listComments: async (key) => mapJournals((await read(key, ["journals"])).issue),

    addComment: (key, text) =>
      client.updateIssue(keys.id(key), key, `comment on ${key}`, { notes: text }),

    // Redmine has no web links: one note carrying the URL, written once.
    linkPullRequest: (key, link) => linkByComment(tracker, key, link),

    ...redmineOtherDirection(client, connection, keys, (key) => tracker.listComments(key)),

    // One fixed version per issue (`fixed_version_id`), from the issue's project.
    async addFixVersion(key, name) {
      const { id, issue } = await read(key, []);
      if ((issue.fixed_version as { name?: unknown } | undefined)?.name === name) return "exists";
      const projectId = String((issue.project as { id?: unknown } | undefined)?.id ?? "");
      const find = async () =>
        mapVersions(await client.versions(projectId)).find((v) => v.name === name);
      const existing = await find();
      // Issues of one release are stamped in parallel: a duplicate name is a 422, and the
      // version another job created is there to use.
      const version =
        existing ??
        (await client.createVersion(projectId, name).then(mapCreatedVersion, async (error) => {
          const found = await find();
          if (!found) throw error;
          return found;
        }));
      if (!version)
        throw fail("invalid", `${connection.name}: the created version ${name} has no id`);
      await client.updateIssue(id, key, `set fix version ${name} on ${key}`, {
        fixed_version_id: Number(version.id),
      });
      return existing ? "added" : "created";
    },

    async whoAmI() {
      const user = (await client.currentUser()) as { user?: Record<string, unknown> } | undefined;
      const login = typeof user?.user?.login === "string" ? user.user.login : null;
      const name = [user?.user?.firstname, user?.user?.lastname]
        .filter((part): part is string => typeof part === "string" && part !== "")
        .join(" ");
      return { name: name || login || "?", login };
    },

    someWorkflowScope: async () => mapProjectScope(firstProject(await client.firstProject())),

    // The prefix names the whole Redmine, so "projects" only says whether it is asked about.
    async updatedSince(projects, since) {
      if (!projects.some((p) => p.toUpperCase() === keys.prefix)) return [];
      // Redmine filters at whole seconds.
      const iso = new Date(Math.floor(since / 1000) * 1000).toISOString().replace(".000Z", "Z");
      return (await client.updatedIds(iso)).map((id) => keys.key(id));
    },
  };
  return tracker;
}

function asProject(body: unknown): unknown {
  return (body as { project?: unknown } | undefined)?.project;
}
