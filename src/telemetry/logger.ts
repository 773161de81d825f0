/**
 * The server's logger. Tokens and keys are redacted by path, and every line passes through
 * a scrubber that blanks the configured secret values wherever they appear: a tracker that
 * echoes the Authorization header into an error body must not leak it into the log.
 */
import { Writable } from "node:stream";
import { type Logger, pino } from "pino";
import { scrubSecrets } from "../core/scrub-secrets.js";

const REDACT_PATHS = [
  "token",
  "*.token",
  "privateKey",
  "*.privateKey",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "request.headers.authorization",
];

/** A pino logger writing JSON lines to `destination` (stdout by default), with secrets scrubbed. */
export function createLogger(options: {
  level: string;
  secrets: readonly string[];
  destination?: NodeJS.WritableStream;
}): Logger {
  const out = options.destination ?? process.stdout;
  const secrets = options.secrets.filter((secret) => secret.length >= 4);
  // Secrets may appear JSON-escaped in a line (a PEM's newlines become "\n").
  const variants = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out.write(scrubSecrets(String(chunk), variants));
      done();
    },
  });
  return pino(
    { level: options.level, redact: { paths: REDACT_PATHS, censor: "[REDACTED]" } },
    stream,
  );
}
