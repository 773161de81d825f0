/**
 * GitHub refusing the App an installation token (`POST /app/installations/{id}/access_tokens`):
 * the installation is suspended or gone, or the App's JWT is refused (a wrong key, a clock
 * off by minutes). Octokit throws that request's error from whatever call needed the token,
 * so a 404 there read as "no such file" and the event was planned as if the repository had
 * no config. It is an error of its own: retried like a GitHub outage, and shown with the
 * delivery (`trackbridge deliveries`, the console), since no check run can be written
 * without a token.
 */
const ACCESS_TOKENS = /\/app\/installations\/(\d+)\/access_tokens/;

export class InstallationTokenRefused extends Error {
  override readonly name = "InstallationTokenRefused";
}

/**
 * The refusal, when `error` is one; undefined for any other error.
 *
 * @example
 * tokenRefusal(errorOfContentsRead) // InstallationTokenRefused: GitHub refused an installation token for installation 77 (404 Not Found): …
 */
export function tokenRefusal(error: unknown): InstallationTokenRefused | undefined {
  if (error instanceof InstallationTokenRefused) return error;
  const { status, request, message } = (error ?? {}) as {
    status?: unknown;
    request?: { url?: unknown };
    message?: unknown;
  };
  const match = typeof request?.url === "string" ? ACCESS_TOKENS.exec(request.url) : null;
  if (!match) return undefined;
  return new InstallationTokenRefused(
    `GitHub refused an installation token for installation ${match[1]} (${String(status)}: ${String(message)}): the App may be suspended or uninstalled there, or its APP_ID or private key wrong; will retry`,
    { cause: error },
  );
}
