/**
 * GitHub's two pagination styles: numbered pages (`per_page`, `page`, a `Link` header with
 * next/prev/first/last) and, for webhook deliveries, an opaque `cursor` with only `next`.
 * Octokit's paginate() follows `rel="next"`, so the links must be absolute and keep the
 * `/api/v3` prefix the request came in with.
 */

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function perPage(query: URLSearchParams): number {
  const value = Number.parseInt(query.get("per_page") ?? "", 10);
  if (!Number.isFinite(value) || value < 1) return DEFAULT_PER_PAGE;
  return Math.min(value, MAX_PER_PAGE);
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/** `requestUrl` is the absolute URL of the request being answered. */
export function numberedPage<T>(all: readonly T[], requestUrl: URL): Page<T> {
  const size = perPage(requestUrl.searchParams);
  const requested = Number.parseInt(requestUrl.searchParams.get("page") ?? "", 10);
  const page = Number.isFinite(requested) && requested > 0 ? requested : 1;
  const last = Math.max(1, Math.ceil(all.length / size));
  const items = all.slice((page - 1) * size, page * size);

  const link = (n: number, rel: string) => {
    const url = new URL(requestUrl);
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { items, headers: links.length ? { link: links.join(", ") } : {} };
}

/**
 * Cursor pagination: the cursor names the first item of the page, as `v1_<id>`.
 * An unknown cursor yields an empty page, as a stale cursor does on GitHub.
 */
export function cursorPage<T extends { id: number }>(all: readonly T[], requestUrl: URL): Page<T> {
  const size = perPage(requestUrl.searchParams);
  const cursor = requestUrl.searchParams.get("cursor");
  const start = cursor ? all.findIndex((item) => `v1_${item.id}` === cursor) : 0;
  if (start < 0) return { items: [], headers: {} };
  const items = all.slice(start, start + size);
  const next = all[start + size];
  if (!next) return { items, headers: {} };
  const url = new URL(requestUrl);
  url.searchParams.set("per_page", String(size));
  url.searchParams.set("cursor", `v1_${next.id}`);
  return { items, headers: { link: `<${url.toString()}>; rel="next"` } };
}
