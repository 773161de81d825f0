/**
 * Productboard's JSON (v1) read into what trackbridge uses. Fields: `data.id`, `data.name`,
 * `data.description` (HTML), `data.status.name`, `data.links.html` of `GET /features/{id}`;
 * `data.name`, `data.integrationStatus` of `GET /plugin-integrations/{id}`; errors as
 * `{ errors: [{ title, detail }] }` or `{ message }`.
 */

export interface Feature {
  id: string;
  name: string;
  /** The description as plain text (Productboard keeps HTML). */
  description: string;
  status: string | null;
  /** The feature's page in Productboard. */
  url: string | null;
}

export function mapFeature(body: unknown, id: string): Feature {
  const data = ((body ?? {}) as { data?: Record<string, unknown> }).data ?? {};
  const status = data.status as { name?: unknown } | undefined;
  const links = data.links as { html?: unknown } | undefined;
  return {
    id: typeof data.id === "string" ? data.id : id,
    name: typeof data.name === "string" && data.name.trim() ? data.name.trim() : `Feature ${id}`,
    description: typeof data.description === "string" ? htmlToText(data.description) : "",
    status: typeof status?.name === "string" ? status.name : null,
    url: typeof links?.html === "string" ? links.html : null,
  };
}

/** A plugin integration as its `GET` shows it (its `action` is write-only: never shown). */
export interface Integration {
  id: string;
  name: string | null;
  /** False when Productboard shows no button for it (`integrationStatus: disabled`). */
  enabled: boolean;
}

export function mapIntegration(body: unknown, id: string): Integration {
  const data = ((body ?? {}) as { data?: Record<string, unknown> }).data ?? {};
  return {
    id: typeof data.id === "string" ? data.id : id,
    name: typeof data.name === "string" ? data.name : null,
    enabled: data.integrationStatus !== "disabled",
  };
}

/**
 * Enough of HTML for an issue's description: paragraphs and breaks become lines, tags go,
 * the common entities are decoded.
 *
 * @example
 * htmlToText("<p>Sign in with <b>SSO</b></p><p>Tom &amp; Ann</p>") // "Sign in with SSO\nTom & Ann"
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function readProductboardError(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { errors, message } = body as { errors?: unknown; message?: unknown };
  if (Array.isArray(errors)) {
    return errors
      .map((e) => {
        const { title, detail } = (e ?? {}) as { title?: unknown; detail?: unknown };
        return [title, detail].filter((part) => typeof part === "string" && part).join(": ");
      })
      .filter(Boolean)
      .join("; ");
  }
  return typeof message === "string" ? message : "";
}
