/**
 * The page frame and the small pieces every page uses. hono/jsx escapes every value put in
 * the markup, so a PR title or a tracker's error message is always text, never HTML.
 */
import type { Child } from "hono/jsx";

export const BASE = "/console";

export const PAGES = [
  { path: "/overview", title: "Overview" },
  { path: "/repositories", title: "Repositories" },
  { path: "/activity", title: "Activity" },
  { path: "/dead-letters", title: "Dead letters" },
  { path: "/audit", title: "Audit" },
] as const;

export interface Viewer {
  login: string;
  /** Empty for a Bearer-token request: it has no session, so no form is forgeable. */
  csrf: string;
}

export function Layout(props: {
  title: string;
  viewer?: Viewer;
  current?: string;
  children?: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · trackbridge`}</title>
        <link rel="stylesheet" href={`${BASE}/assets/console.css`} />
        <script src={`${BASE}/assets/console.js`} defer />
      </head>
      <body>
        <header>
          <span class="brand">trackbridge</span>
          {props.viewer && (
            <>
              <nav>
                {PAGES.map((page) => (
                  <a
                    href={`${BASE}${page.path}`}
                    aria-current={props.current === page.path ? "page" : undefined}
                  >
                    {page.title}
                  </a>
                ))}
              </nav>
              <form class="inline" method="post" action={`${BASE}/logout`}>
                <Csrf viewer={props.viewer} />
                <span class="muted">{props.viewer.login} </span>
                <button type="submit">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function Csrf(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}

export function State(props: { state: string; label?: string }) {
  return <span class={`state ${props.state}`}>{props.label ?? props.state.replace("_", " ")}</span>;
}

export function Notice(props: { text?: string | undefined; bad?: boolean }) {
  if (!props.text) return null;
  return (
    <p class={props.bad ? "notice bad" : "notice"} role="status">
      {props.text}
    </p>
  );
}

/** Epoch ms or ISO → `2026-12-02 03:04:05Z`: readable, sortable, one time zone for everyone. */
export function time(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? "—"
    : `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Every list in the console: a table that becomes stacked rows at phone width. */
export function Table(props: { headers: Child[]; children?: Child; refreshMs?: number }) {
  return (
    <div class="table">
      <table class="stack">
        <thead>
          <tr>
            {props.headers.map((header) => (
              <th>{header}</th>
            ))}
          </tr>
        </thead>
        <tbody data-refresh={props.refreshMs === undefined ? undefined : String(props.refreshMs)}>
          {props.children}
        </tbody>
      </table>
    </div>
  );
}
