/**
 * The sustained part's event source: many realistic PR lives interleaved. Each life keeps its
 * order, the simulators' PR is changed before its event is handed out, and no two lives share
 * an issue (a shared issue would serialize their jobs and measure something else).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_PER_LIFE, LifeMix } from "../../bench/lib/pr-life.js";
import { type GitHubSimulator, startGitHubSimulator } from "../../src/simulators/github/index.js";
import { INSTALLATION_ID } from "../../src/simulators/scenario/testbed.js";
import { startYandexSimulator, type YandexSimulator } from "../../src/simulators/yandex/index.js";
import { appKeyPair } from "../simulators/github-fixtures.js";

const LIFE = [
  "pull_request.opened",
  "pull_request.edited",
  "issue_comment.created",
  "issue_comment.created",
  "pull_request_review.submitted",
  "pull_request.synchronize",
  "pull_request_review.submitted",
  "pull_request.closed",
];

describe("LifeMix", () => {
  let github: GitHubSimulator;
  let tracker: YandexSimulator;

  beforeAll(async () => {
    github = await startGitHubSimulator({ appId: 1, publicKey: appKeyPair().publicKey });
    tracker = await startYandexSimulator({ token: "t", orgId: "1" });
  });
  afterAll(async () => {
    await github.close();
    await tracker.close();
  });

  /** A repository of its own for a mix, at the simulators. */
  const worldOf = (name: string) => ({
    github,
    tracker,
    repository: github.addRepo({ owner: "acme", name, installationId: INSTALLATION_ID }),
    owner: "acme",
    repo: name,
  });

  it("interleaves lives, each in order, on PRs whose keys no other life names", () => {
    const mix = new LifeMix(worldOf("mix"), 120, 400_000);
    const events = mix.next(1_200);
    const byPr = new Map<number, string[]>();
    for (const { event, payload, pr } of events) {
      const action = (payload as { action: string }).action;
      byPr.set(pr, [...(byPr.get(pr) ?? []), `${event}.${action}`]);
    }
    // 120 open at once: the first event of each before any second event.
    expect(
      events.slice(0, 120).every((e) => (e.payload as { action: string }).action === "opened"),
    ).toBe(true);
    const complete = [...byPr.values()].filter((life) => life.length === LIFE.length);
    expect(complete.length).toBeGreaterThan(100);
    for (const life of byPr.values()) expect(life).toEqual(LIFE.slice(0, life.length));

    // PR numbers skip 100–399 of every 400, so PROJ-n+100…n+300 belong to no other life.
    const prs = [...byPr.keys()];
    const keys = prs.flatMap((n) => [n, n + 100, n + 200, n + 300]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Math.min(...prs)).toBe(400_001);
    expect(prs).toContain(400_401);

    // The merge is done at the simulator by the time its event is handed out.
    const merged = events.find((e) => (e.payload as { action: string }).action === "closed")!;
    expect(github.pullRequest("acme", "mix", merged.pr).merged).toBe(true);
    expect(tracker.hasIssue(`PROJ-${merged.pr + 300}`)).toBe(true);
  });

  it("prime() opens the lives at every stage, so each round holds every event of a life alike", () => {
    const active = 80;
    const mix = new LifeMix(worldOf("prime"), active, 800_000);
    const primed = mix.prime();
    // Life i of n has sent ⌊i·8/n⌋ events: 0 … 7, ten lives each.
    expect(primed).toHaveLength((active / EVENTS_PER_LIFE) * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7));
    const stage = (e: { event: string; payload: unknown }) =>
      `${e.event}.${(e.payload as { action: string }).action}`;
    const sentBy = new Map<number, string[]>();
    for (const e of primed) sentBy.set(e.pr, [...(sentBy.get(e.pr) ?? []), stage(e)]);

    // The next round: one event of each open life, every stage of a life in the same share
    // (a review is stages 5 and 7, a comment 3 and 4), where lives opened together all open.
    const round = mix.next(active);
    const counts = new Map<string, number>();
    for (const e of round) counts.set(stage(e), (counts.get(stage(e)) ?? 0) + 1);
    const share = active / EVENTS_PER_LIFE;
    for (const name of new Set(LIFE)) {
      const times = LIFE.filter((s) => s === name).length;
      expect(counts.get(name)).toBe(share * times);
    }
    // Each life goes on where priming left it.
    for (const e of round) {
      const before = sentBy.get(e.pr) ?? [];
      expect([...before, stage(e)]).toEqual(LIFE.slice(0, before.length + 1));
    }
    expect(() => mix.prime()).toThrow(/first/);
  });

  it("refuses a base that would let lives share issues", () => {
    expect(() => new LifeMix({} as never, 1, 250)).toThrow(/multiple of 400/);
  });
});
