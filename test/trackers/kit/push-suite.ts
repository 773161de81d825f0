/**
 * The conformance kit's other direction (issue 22 §5): create an issue once, take a PR's link
 * off, set the assignee. Each case runs on every mode whose capability table declares the
 * call, and is skipped, with the table's reason in its title, where it is declared unavailable
 * (the main suite proves those calls are refused).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KitFixture, KitSimulator } from "../../../src/simulators/scenario/kit-fixture.js";
import { applyAction } from "../../../src/trackers/apply-action.js";
import { createTracker } from "../../../src/trackers/create-tracker.js";
import type { CapabilityName } from "../../../src/trackers/kind.js";
import { kindOf } from "../../../src/trackers/kinds.js";
import { isLinkComment } from "../../../src/trackers/link-by-comment.js";
import type { Tracker } from "../../../src/trackers/port.js";

const PR = {
  url: "https://github.com/acme/web/pull/12",
  title: "Login form",
  globalId: "https://github.com/acme/web/pull/12",
};

export function runPushConformance(f: KitFixture): void {
  const probe = f.connection("http://127.0.0.1:1");
  const mode = kindOf(probe.type).modeOf(probe);
  /** The case's title, with the reason when the mode declares the call unavailable. */
  const titled = (name: CapabilityName, title: string) => {
    const declared = mode.capabilities[name];
    return declared.support === "unavailable"
      ? `${title} (not available: ${declared.reason})`
      : title;
  };
  const unavailable = (name: CapabilityName) => mode.capabilities[name].support === "unavailable";

  describe(`conformance kit, the other direction: ${f.name}`, () => {
    let sim: KitSimulator;
    let tracker: Tracker;
    beforeAll(async () => {
      sim = await f.start();
    });
    afterAll(() => sim.close());
    beforeEach(() => {
      sim.reset();
      const connection = f.connection(sim.url);
      tracker = createTracker(connection, f.options?.(connection, sim.url));
    });

    /** The project exists (an issue is in it): how many issues it holds. */
    const seeded = () => {
      sim.createIssue(f.issue(20).sim);
      return sim.issueKeys(f.create!.queue).length;
    };
    const newIssue = () => ({
      project: f.create!.project,
      summary: PR.title,
      description: `Pull request: ${PR.url}`,
      marker: "trackbridge-acme-web-12",
    });

    it.skipIf(unavailable("create_issue"))(
      titled("create_issue", "creates an issue with the PR's title, readable by its key"),
      async () => {
        const before = seeded();
        const result = await tracker.createIssue!(newIssue());
        expect(result.created).toBe(true);
        expect(sim.issueKeys(f.create!.queue)).toHaveLength(before + 1);
        expect((await tracker.getIssue(result.key)).key).toBe(result.key);
      },
    );

    it.skipIf(unavailable("create_issue"))(
      titled(
        "create_issue",
        "creates exactly one issue when the tracker commits and the answer is lost",
      ),
      async () => {
        const before = seeded();
        sim.injectFaults({
          count: 1,
          drop: true,
          afterCommit: true,
          method: "POST",
          ...f.create!.request,
        });
        const first = await tracker.createIssue!(newIssue()).catch((error: unknown) => error);
        expect(first).toMatchObject({ kind: "network" });
        // The worker's retry: the earlier try's outcome is unknown.
        const again = await tracker.createIssue!(newIssue(), { earlierTryUnknown: true });
        expect(again.created).toBe(false);
        expect(sim.issueKeys(f.create!.queue)).toHaveLength(before + 1);
        expect((await tracker.getIssue(again.key)).key).toBe(again.key);
        // Another PR's marker is another issue.
        const other = await tracker.createIssue!({
          ...newIssue(),
          marker: "trackbridge-acme-web-13",
        });
        expect(other).toMatchObject({ created: true });
        expect(other.key).not.toBe(again.key);
      },
    );

    it.skipIf(unavailable("unlink"))(
      titled("unlink", "takes the PR's link off, and says when there was none"),
      async () => {
        const { sim: simKey, key } = f.issue(21);
        sim.createIssue(simKey);
        await tracker.linkPullRequest(key, PR);
        expect(await tracker.unlink!(key, PR)).toBe("removed");
        const state = sim.getIssue(simKey);
        const live = [
          ...state.links.filter((l) => l.url === PR.url),
          ...state.comments.filter((c) => isLinkComment(c.text, PR.url)),
        ];
        expect(live).toEqual([]);
        expect(await tracker.unlink!(key, PR)).toBe("absent");
        expect(await tracker.linkPullRequest(key, PR)).toBe("created");
      },
    );

    it.skipIf(unavailable("set_assignee"))(
      titled("set_assignee", "reads and sets the assignee"),
      async () => {
        const { sim: simKey, key } = f.issue(22);
        sim.createIssue(simKey);
        expect(await tracker.getAssignee!(key)).toBeNull();
        const set = await tracker.setAssignee!(key, f.assignee!.login);
        expect(await tracker.getAssignee!(key)).toEqual(set);
        expect(sim.getIssue(simKey).assignee).toBe(f.assignee!.stored);
      },
    );

    it.skipIf(unavailable("set_assignee"))(
      titled(
        "set_assignee",
        "assigns without a people map only where the kind's people are GitHub users",
      ),
      async () => {
        const { sim: simKey, key } = f.issue(24);
        sim.createIssue(simKey);
        const person = f.assignee!.login;
        const action = { kind: "assign", key, person, from: "author", overwrite: false } as const;
        const result = await applyAction(tracker, action, {});
        if (kindOf(probe.type).githubLogins) {
          expect(result.summary).toMatch(/^assigned to /);
          expect(sim.getIssue(simKey).assignee).toBe(f.assignee!.stored);
        } else {
          expect(result.summary).toBe(
            `warning: not assigned: ${person} is not in the people map of connection ${probe.name}`,
          );
          expect(sim.getIssue(simKey).assignee).toBeNull();
        }
      },
    );

    it.skipIf(unavailable("find_user_by_email"))(
      titled(
        "find_user_by_email",
        "finds a person by e-mail (match: email), whom setAssignee then takes; none for an unknown e-mail",
      ),
      async () => {
        const { sim: simKey, key } = f.issue(23);
        sim.createIssue(simKey);
        expect(await tracker.findUserByEmail!("nobody@acme.test")).toBeNull();
        const found = await tracker.findUserByEmail!("Alice@acme.test");
        expect(found).not.toBeNull();
        await tracker.setAssignee!(key, found!.id);
        expect(sim.getIssue(simKey).assignee).toBe(f.assignee!.stored);
      },
    );
  });
}
