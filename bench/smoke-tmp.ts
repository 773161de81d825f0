import { generateKeyPairSync } from "node:crypto";
import { bundleServers } from "./lib/bundle.js";
import { Child } from "./lib/ipc.js";
const s = await bundleServers();
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const base = { PATH: process.env.PATH ?? "" };
const sims = await Child.start<{ githubUrl: string; trackerUrl: string }>(s.simulators, { env: { ...base, BENCH_PUBLIC_KEY: publicKey, BENCH_TRACKER_TOKEN: "tok-123456789" }, logFile: "/tmp/sims.log" });
console.log(sims.ready);
const seeded = await sims.child.call<{ bodies: string[] }>("seed", { from: 1, count: 3 });
console.log(seeded.bodies.map((b) => b.length));
const app = await Child.start<{ port: number }>(s["app-server"], { env: { ...base, APP_ID: "4242", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "secret-123456", GHE_HOST: new URL(sims.ready.githubUrl).host, GHE_PROTOCOL: "http", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", TRACKBRIDGE_DB: "/tmp/bench-smoke/db.sqlite", TRACKBRIDGE_REDELIVERY_INTERVAL_SECONDS: "0", TRACKER_TYPE: "yandex", TRACKER_URL: sims.ready.trackerUrl, TRACKER_TOKEN: "tok-123456789", TRACKER_ORG_ID: "4242" }, logFile: "/tmp/app.log" });
console.log(app.ready, app.child.memory());
const { sign } = await import("@octokit/webhooks-methods");
for (const [i, body] of seeded.bodies.entries()) {
  const r = await fetch(`http://127.0.0.1:${app.ready.port}/api/github/webhooks`, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `d-${i}`, "x-hub-signature-256": await sign("secret-123456", body) } });
  console.log(r.status, await r.text());
}
await app.child.call("drain");
console.log(await sims.child.call("trackerRequests", { from: 0 }));
console.log(await sims.child.call("counts"));
const bare = await Child.start<{ port: number }>(s["bare-probot"], { env: { ...base, APP_ID: "4242", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "secret-123456", LOG_LEVEL: "warn" }, logFile: "/tmp/bare.log" });
const body = seeded.bodies[0]!;
const r = await fetch(`http://127.0.0.1:${bare.ready.port}/api/github/webhooks`, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `d-x`, "x-hub-signature-256": await sign("secret-123456", body) } });
console.log("bare", r.status, await r.text(), bare.child.memory(), app.child.memory());
await Promise.all([app.child.stop(), sims.child.stop(), bare.child.stop()]);
