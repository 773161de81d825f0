/**
 * CPU per GitHub request of the client alone: Probot's Octokit (throttling off, as the bench
 * App runs it against the simulators; retry on) over the global fetch, as it was, against the
 * same over src/http/octokit-fetch.ts, and that again without plugin-retry (which schedules
 * each request through a Bottleneck limiter of its own), to weigh the retry's share. Against
 * a plain HTTP server in a child process whose CPU is not counted. Rounds alternate between
 * the clients, so a busy machine weighs on all alike.
 *
 *   npx tsx bench/github-send.ts [concurrency]
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { octokitFetch } from "../src/http/octokit-fetch.js";

const CALLS = 1000;
const ROUNDS = 6;
/** About a check run's answer: GitHub's are 2–4 KB. */
const ANSWER = JSON.stringify({
  id: 4,
  head_sha: "ce587453ced02b1526dfb4cb910479d431683101",
  status: "completed",
  conclusion: "success",
  output: { title: "PROJ-1 moved", summary: "s".repeat(400), text: null },
  app: { id: 1, slug: "trackbridge", owner: { login: "acme", id: 1, url: "u".repeat(60) } },
  pull_requests: Array.from({ length: 2 }, (_, i) => ({
    url: `https://api.github.com/repos/acme/web/pulls/${i}`,
    head: { ref: "feature/PROJ-1", sha: "a".repeat(40), repo: { id: 1, url: "r".repeat(50) } },
    base: { ref: "main", sha: "b".repeat(40), repo: { id: 1, url: "r".repeat(50) } },
  })),
  links: Array.from({ length: 20 }, (_, i) => `https://api.github.com/repos/acme/web/x/${i}`),
});

if (process.argv[2] === "--server") {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      res
        .writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "x-ratelimit-remaining": "4999",
          "x-ratelimit-reset": "1790000000",
          etag: 'W/"0123456789abcdef"',
        })
        .end(ANSWER),
    );
  });
  server.listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port));
} else {
  await main(Number(process.argv[2] ?? 1));
}

async function main(concurrency: number): Promise<void> {
  const server = fork(process.argv[1]!, ["--server"], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => server.once("message", resolve));
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const octokitOf = (options: object) =>
    new ProbotOctokit({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { token: "ghs_bench" },
      log: silent,
      throttle: { enabled: false },
      ...options,
    });
  const clients = {
    fetch: octokitOf({}),
    "octokit-fetch.ts": octokitOf({ request: { fetch: octokitFetch } }),
    "octokit-fetch.ts, no retry": octokitOf({
      request: { fetch: octokitFetch },
      retry: { enabled: false },
    }),
  };
  type Client = (typeof clients)[keyof typeof clients];
  const repo = { owner: "acme", repo: "web" };
  // One request in three a write, as the App's are: a check run written after reads.
  const run = async (octokit: Client) => {
    let next = 0;
    const loop = async () => {
      for (let i = next++; i < CALLS; i = next++) {
        if (i % 3 === 0)
          await octokit.rest.checks.update({
            ...repo,
            check_run_id: 4,
            status: "completed",
            conclusion: "success",
            output: { title: "PROJ-1 moved", summary: "y".repeat(200) },
          });
        else await octokit.rest.pulls.get({ ...repo, pull_number: 7 });
      }
    };
    const before = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, loop));
    const used = process.cpuUsage(before);
    return { cpu: (used.user + used.system) / CALLS, wall: (performance.now() - started) / CALLS };
  };
  const names = Object.keys(clients) as Array<keyof typeof clients>;
  for (const name of names) await run(clients[name]); // warm-up
  const perCall = Object.fromEntries(
    names.map((name) => [name, [] as Array<{ cpu: number; wall: number }>]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? [...names].reverse() : names)
      perCall[name]!.push(await run(clients[name]));
  }
  for (const [name, values] of Object.entries(perCall)) {
    const cpu = values.map((v) => v.cpu).sort((a, b) => a - b);
    const wall = values.map((v) => v.wall).sort((a, b) => a - b);
    const mid = Math.floor(values.length / 2);
    console.log(
      `${name.padEnd(27)} ${concurrency} at once: median ${cpu[mid]!.toFixed(0)} µs CPU per request (rounds: ${cpu.map((v) => v.toFixed(0)).join(" ")}); ${wall[mid]!.toFixed(2)} ms wall per request`,
    );
  }
  server.kill();
}
