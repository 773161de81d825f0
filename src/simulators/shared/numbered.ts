/**
 * What the simulators of trackers that number their tickets (Redmine, Request Tracker) change
 * in the shared admin surface: the key's number is the ticket id, unique across projects, and
 * a ticket moved to another project keeps it.
 */
import type { TrackerSimulator } from "./admin.js";
import type { IssueStore } from "./store.js";

export function numberedAdmin(
  admin: TrackerSimulator,
  store: IssueStore,
  tracker: string,
): Pick<TrackerSimulator, "createIssue" | "moveIssue"> {
  const create = admin.createIssue;
  return {
    createIssue(key, options) {
      const number = /-(\d+)$/.exec(key)?.[1];
      const taken = number ? store.findNumber(number) : undefined;
      if (taken) throw new Error(`${tracker} numbers across projects: ${number} is ${taken.key}`);
      return create(key, options);
    },
    moveIssue(key, queue) {
      const issue = store.mustFind(key);
      issue.queue = queue;
      store.touch(issue);
      return issue.key;
    },
  };
}

/** Creates an issue in `queue` under the next number, unique across projects (the API's create). */
export function createNumbered(
  store: IssueStore,
  queue: string,
  options: Parameters<IssueStore["create"]>[1] = {},
): { issue: ReturnType<IssueStore["create"]>; number: number } {
  const numbers = store.all().map((issue) => Number(/-(\d+)$/.exec(issue.key)?.[1] ?? 0));
  const number = Math.max(0, ...numbers) + 1;
  return { issue: store.create(`${queue}-${number}`, options), number };
}
