/** The GitHub the App talks to, from Probot's GHE_HOST and GHE_PROTOCOL. */
import type { Env } from "./secret-ref.js";

/**
 * The same addresses Probot derives from GHE_HOST and GHE_PROTOCOL.
 *
 * @example
 * githubUrls({ GHE_HOST: "github.acme.test" })
 * // { webUrl: "https://github.acme.test", apiUrl: "https://github.acme.test/api/v3" }
 */
export function githubUrls(env: Env): { webUrl: string; apiUrl: string } {
  if (!env.GHE_HOST) return { webUrl: "https://github.com", apiUrl: "https://api.github.com" };
  const webUrl = `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}`;
  return { webUrl, apiUrl: `${webUrl}/api/v3` };
}
