/**
 * The Yandex Tracker adapter behind the `Tracker` port. Tracker has no web links for an
 * arbitrary URL (remote links need a registered application), so a pull request is linked by
 * one comment carrying its URL, posted once.
 */
import type { TrackerConnection } from "../connection.js";
import type { HttpDeps } from "../http.js";
import type { Tracker } from "../port.js";
import { createYandexClient } from "./client.js";
import { mapComments, mapIssue, mentionsUrl } from "./map.js";

export function createYandexTracker(connection: TrackerConnection, deps: HttpDeps): Tracker {
  const client = createYandexClient(connection, deps);

  const tracker: Tracker = {
    connection: connection.name,
    type: "yandex",

    async getIssue(key, options = {}) {
      const withTransitions = options.transitions === true;
      return mapIssue(await client.getIssue(key, withTransitions), key, withTransitions);
    },

    executeTransition: (key, transitionId) => client.executeTransition(key, transitionId),

    // Global fields are top-level keys of the issue; the field id is used as given.
    setField: (key, field, value) => client.patchIssue(key, { [field]: value }),

    listComments: async (key) => mapComments(await client.listComments(key)),

    addComment: (key, text) => client.addComment(key, text),

    async linkPullRequest(key, link) {
      const comments = await tracker.listComments(key);
      if (comments.some((c) => mentionsUrl(c.text, link.url))) return "exists";
      await client.addComment(key, `Pull request: ${link.title} ${link.url}`);
      return "created";
    },
  };
  return tracker;
}
