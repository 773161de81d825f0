/** The console's pages (behind `requireViewer`): HTML forms, each write answered by a redirect. */
import { Hono } from "hono";
import { type ConsoleEnv, endSession } from "./auth.js";
import * as data from "./data.js";
import type { ConsoleDeps } from "./deps.js";
import { listDeadLetters } from "./queries.js";
import { ConfirmDiscardPage, DeadLettersPage } from "./views/dead-letters.js";
import { BASE } from "./views/layout.js";
import { jobLinks } from "./views/links.js";
import { OverviewPage } from "./views/overview.js";
import { ActivityPage, AuditPage, RepositoriesPage } from "./views/pages.js";
import { SyncPreviewPage } from "./views/sync.js";

export function pageRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const links = jobLinks({
    pr: (repo, pr) => data.prUrl(deps, repo, pr),
    issue: (connection, key) => data.issueUrl(deps, connection, key),
  });

  app.get("/", (c) => c.redirect(`${BASE}/overview`, 303));

  app.get("/overview", async (c) =>
    c.html(<OverviewPage viewer={c.var.viewer} model={await data.overview(deps)} links={links} />),
  );

  app.post("/connections/:name/test", async (c) => {
    const tested = await data.testConnection(deps, c.req.param("name"), c.var.viewer.login);
    if (!tested)
      return c.json({ error: `no tracker connection named ${c.req.param("name")}` }, 404);
    const model = await data.overview(deps);
    return c.html(
      <OverviewPage viewer={c.var.viewer} model={model} tested={tested} links={links} />,
    );
  });

  app.get("/repositories", async (c) => {
    try {
      return c.html(
        <RepositoriesPage viewer={c.var.viewer} repos={await data.repositories(deps)} />,
      );
    } catch (error) {
      const message = `GitHub could not list the App's repositories: ${error instanceof Error ? error.message : String(error)}`;
      return c.html(<RepositoriesPage viewer={c.var.viewer} repos={[]} error={message} />, 502);
    }
  });

  app.get("/repositories/sync", async (c) => {
    const preview = await data.syncPreview(deps, {
      repo: c.req.query("repo") ?? "",
      since: c.req.query("since") ?? "",
    });
    return c.html(<SyncPreviewPage viewer={c.var.viewer} preview={preview} links={links} />);
  });

  app.post("/repositories/sync", async (c) => {
    const form = await c.req.parseBody();
    const input = { repo: String(form.repo ?? ""), since: String(form.since ?? "") };
    const applied = await data.syncApply(deps, input, c.var.viewer.login);
    if (!applied.ok) {
      const preview = { ...applied, sinceDays: null };
      return c.html(<SyncPreviewPage viewer={c.var.viewer} preview={preview} links={links} />);
    }
    // Activity of that repository: the sync's jobs appear there as the worker plans and runs them.
    const query = new URLSearchParams({ repo: applied.repo, synced: applied.resumed ? "0" : "1" });
    return c.redirect(`${BASE}/activity?${query}`, 303);
  });

  app.get("/activity", async (c) => {
    const filter = data.parseActivityFilter(c.req.query());
    const jobs = await data.activity(deps, filter);
    const notice = noticeFor(c.req.query());
    return c.html(
      <ActivityPage
        viewer={c.var.viewer}
        filter={filter}
        jobs={jobs}
        links={links}
        notice={notice}
      />,
    );
  });

  app.get("/dead-letters", async (c) => {
    const model = await data.deadLetters(deps);
    const notice = noticeFor(c.req.query());
    return c.html(
      <DeadLettersPage viewer={c.var.viewer} model={model} links={links} notice={notice} />,
    );
  });

  app.post("/dead-letters/retry", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const only = Number(form.only);
    const ids = Number.isInteger(only) && only > 0 ? [only] : idsOf(form.id);
    const retried = await data.retryJobs(deps, ids, c.var.viewer.login);
    return c.redirect(`${BASE}/dead-letters?retried=${retried.length}`, 303);
  });

  app.post("/dead-letters/discard", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const ids = idsOf(form.id);
    if (form.confirm !== "yes") {
      const chosen = new Set(ids);
      const jobs = (await listDeadLetters(deps.store, 500)).filter((job) => chosen.has(job.id));
      if (jobs.length === 0) return c.redirect(`${BASE}/dead-letters?discarded=0`, 303);
      return c.html(<ConfirmDiscardPage viewer={c.var.viewer} jobs={jobs} links={links} />);
    }
    const discarded = await data.discardJobs(deps, ids, c.var.viewer.login);
    return c.redirect(`${BASE}/dead-letters?discarded=${discarded.length}`, 303);
  });

  app.post("/deliveries/retry", async (c) => {
    const form = await c.req.parseBody();
    const id = typeof form.delivery === "string" ? form.delivery : "";
    const ok = await data.retryDelivery(deps, id, c.var.viewer.login);
    return c.redirect(`${BASE}/dead-letters?deliveryRetried=${ok ? 1 : 0}`, 303);
  });

  app.get("/audit", async (c) =>
    c.html(<AuditPage viewer={c.var.viewer} entries={await data.auditLog(deps)} />),
  );

  app.post("/logout", async (c) => {
    await endSession(c, deps);
    return c.redirect(`${BASE}/login`, 303);
  });
  return app;
}

/** Form values `id=1&id=2` as job ids; anything else is ignored. */
export function idsOf(value: unknown): number[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.map(Number).filter((id) => Number.isInteger(id) && id > 0);
}

/** The outcome of the last write, from counts only: no text is reflected from the URL. */
function noticeFor(query: Record<string, string>): string | undefined {
  const count = (name: string) => Number.parseInt(query[name] ?? "", 10);
  const plural = (n: number) => `${n} dead letter${n === 1 ? "" : "s"}`;
  if (Number.isInteger(count("retried"))) return `Retried ${plural(count("retried"))}.`;
  if (Number.isInteger(count("discarded"))) return `Discarded ${plural(count("discarded"))}.`;
  if (query.deliveryRetried === "1") return "The delivery will be planned again.";
  if (query.deliveryRetried === "0") return "That delivery is not waiting for a retry.";
  if (query.synced === "1") return "Sync recorded: its moves appear below as the worker runs them.";
  if (query.synced === "0")
    return "A sync of this repository is still running: its moves appear below.";
  return undefined;
}
