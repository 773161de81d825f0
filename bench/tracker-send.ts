/**
 * CPU per tracker call of the client alone: src/http/send.ts (node:http) against what
 * http.ts did before it (fetch with AbortSignal.timeout, then text()), both through
 * createTrackerHttp, against a plain HTTP server in a child process whose CPU is not
 * counted. Rounds alternate between the two, so a busy machine weighs on both alike.
 *
 *   npx tsx bench/tracker-send.ts [concurrency]
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Send, sendHttp } from "../src/http/send.js";
import type { TrackerConnection } from "../src/trackers/connection.js";
import { createTrackerHttp } from "../src/trackers/http.js";

const CALLS = 1500;
const ROUNDS = 6;
/** About a Yandex issue's size. */
const ANSWER = JSON.stringify({
  key: "PROJ-1",
  summary: "x".repeat(300),
  status: { key: "open", display: "Open" },
  fields: Array.from({ length: 20 }, (_, i) => ({ id: `f${i}`, value: "v".repeat(20) })),
});

if (process.argv[2] === "--server") {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(ANSWER));
  });
  server.listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port));
} else {
  await main(Number(process.argv[2] ?? 1));
}

async function main(concurrency: number): Promise<void> {
  const server = fork(process.argv[1]!, ["--server"], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => server.once("message", resolve));
  const fetchSend: Send = async (r) => {
    const response = await fetch(r.url, {
      method: r.method,
      headers: r.headers,
      body: r.body as string | undefined,
      signal: AbortSignal.timeout(r.timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const connection = {
    name: "bench",
    type: "yandex",
    url: `http://127.0.0.1:${port}`,
    token: "t0k",
  } as TrackerConnection;
  const clientOf = (send: Send) =>
    createTrackerHttp({
      connection,
      headers: { authorization: "OAuth t0k", "content-type": "application/json" },
      secrets: ["t0k"],
      readMessage: () => "",
      deps: { send, timeoutMs: 10_000 },
    });
  const clients = { fetch: clientOf(fetchSend), "send.ts": clientOf(sendHttp) };
  // One call in three a write, as an event's calls are: reads of the issue, then a move.
  const run = async (http: ReturnType<typeof clientOf>) => {
    let next = 0;
    const loop = async () => {
      for (let i = next++; i < CALLS; i = next++) {
        if (i % 3 === 0)
          await http.request(
            "POST",
            "/v2/issues/PROJ-1/transitions/close/_execute",
            { what: "move" },
            { comment: "y".repeat(100) },
          );
        else await http.request("GET", "/v2/issues/PROJ-1", { what: "read" });
      }
    };
    const before = process.cpuUsage();
    await Promise.all(Array.from({ length: concurrency }, loop));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / CALLS;
  };
  const names = Object.keys(clients) as Array<keyof typeof clients>;
  for (const name of names) await run(clients[name]); // warm-up
  const perCall: Record<string, number[]> = { fetch: [], "send.ts": [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? [...names].reverse() : names)
      perCall[name]!.push(await run(clients[name]));
  }
  for (const [name, values] of Object.entries(perCall)) {
    const sorted = values.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `${name.padEnd(8)} ${concurrency} at once: median ${median.toFixed(0)} µs CPU per call (rounds: ${sorted.map((v) => v.toFixed(0)).join(" ")})`,
    );
  }
  server.kill();
}
