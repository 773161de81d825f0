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
