/**
 * How the server's configuration names a secret: `{ env: NAME }` or `{ file: PATH }`, never
 * the value itself, and the one way such a reference is read.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export class ServerConfigError extends Error {
  override readonly name = "ServerConfigError";
}

export type Env = Record<string, string | undefined>;

export const secretRef = z.union([
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);

export function secret(env: Env, ref: { env: string } | { file: string }, what: string): string {
  return "env" in ref ? required(env, ref.env, what) : readSecretFile(ref.file, what);
}

/**
 * Where a reference is read from, in words for messages: never the value.
 *
 * @example
 * describeSecretRef({ env: "PB_TOKEN" }) // "environment variable PB_TOKEN"
 * describeSecretRef({ file: "/run/secrets/pb" }) // "file /run/secrets/pb"
 */
export function describeSecretRef(ref: { env: string } | { file: string }): string {
  return "env" in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
}

export function required(env: Env, name: string, what = name): string {
  const value = env[name];
  if (!value) throw new ServerConfigError(`${what}: environment variable ${name} is not set`);
  return value;
}

export function readSecretFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ServerConfigError(`${what}: cannot read secret file ${file} (${code})`);
  }
}
