/**
 * The console's only assets, served by the App itself (no CDN: it works offline). The
 * script is progressive: every page works without it; it refreshes the Activity table and
 * asks before a discard.
 */

export const CONSOLE_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --accent: #0969da; --soft: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117;
  --line: #3d444d; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --accent: #4493f8; --soft: #151b23; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header .brand { font-weight: 700; margin-right: auto; }
nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
nav a { color: var(--fg); text-decoration: none; padding: .2rem 0; }
nav a[aria-current="page"] { border-bottom: 2px solid var(--accent); font-weight: 600; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
a { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.card .n { font-size: 1.6rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: .85rem; }
.table { width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
td.wrap, .wrap { overflow-wrap: anywhere; }
.state { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem; border: 1px solid var(--line); white-space: nowrap; }
.state.done, .state.ok, .state.valid { color: var(--ok); border-color: var(--ok); }
.state.dead, .state.failed, .state.invalid, .state.unauthorized, .state.unreachable { color: var(--bad); border-color: var(--bad); }
.state.pending, .state.running, .state.rate_limited, .state.missing { color: var(--warn); border-color: var(--warn); }
.muted { color: var(--muted); }
.notice { border: 1px solid var(--accent); border-radius: 8px; padding: .5rem .75rem; margin: 0 0 1rem; }
.notice.bad { border-color: var(--bad); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; font-size: .85rem; }
form.inline { display: inline; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-size: .85rem; gap: .15rem; }
input, select, button { font: inherit; padding: .35rem .6rem; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); }
button { cursor: pointer; background: var(--soft); }
a.button { display: inline-block; text-align: center; text-decoration: none; padding: .5rem .8rem; border-radius: 6px; border: 1px solid var(--line); }
button.primary, a.button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { color: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; }
.login { max-width: 26rem; margin: 3rem auto; display: flex; flex-direction: column; gap: 1rem; }
.login input { width: 100%; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.stack td { display: block; border: 0; padding: .15rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem; }
}
`;

export const CONSOLE_JS = `
(() => {
  // Activity refreshes itself: the same page, fetched again, replaces the table's body.
  const live = document.querySelector("[data-refresh]");
  if (live) {
    const every = Number(live.getAttribute("data-refresh")) || 5000;
    setInterval(async () => {
      try {
        const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
        if (!response.ok) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector("[data-refresh]");
        if (fresh) live.replaceChildren(...fresh.childNodes);
        const stamp = document.querySelector("[data-refreshed]");
        if (stamp) stamp.textContent = new Date().toLocaleTimeString();
      } catch {}
    }, every);
  }
  // "Select all" for the dead letters.
  const all = document.querySelector("[data-select-all]");
  if (all) all.addEventListener("change", () => {
    for (const box of document.querySelectorAll("input[name=id]")) box.checked = all.checked;
  });
})();
`;
