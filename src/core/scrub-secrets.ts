/**
 * Blanks every secret value in a text. Used on every log line and on every tracker error
 * message, so a token echoed back by a tracker never reaches a log, a check run or a job summary.
 *
 * @example
 * scrubSecrets("Authorization: OAuth y0_abc123", ["y0_abc123"]) // "Authorization: OAuth [REDACTED]"
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Shorter strings are too likely to be ordinary words.
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  return out;
}

/**
 * Whether a URL carries a user or password: every message that names the URL would print it,
 * so the server's config, `doctor` and the Action refuse one and ask for the token apart.
 *
 * @example
 * carriesCredentials("https://u:p@tracker.example") // true
 */
export function carriesCredentials(url: string): boolean {
  const { username, password } = new URL(url);
  return username !== "" || password !== "";
}
