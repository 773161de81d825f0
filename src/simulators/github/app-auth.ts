/**
 * GitHub App authentication as the simulator checks it: app JWTs (RS256, signed with the
 * app's private key) for `/app/...` routes, and installation tokens (`ghs_…`) minted from
 * them for everything under `/repos`. Credentials never leave this module unredacted: the
 * request log keeps only a scheme and a fingerprint.
 */
import { createHash, createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";

export interface ParsedAuthorization {
  /** Lower-cased: Octokit sends `bearer` for JWTs and `token` for installation tokens. */
  scheme: string;
  credential: string;
}

export interface RedactedAuth {
  scheme: string;
  /** First 12 hex digits of the credential's SHA-256: enough to tell tokens apart in a test. */
  fingerprint: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  const match = /^(\S+)\s+(\S+)$/.exec(header?.trim() ?? "");
  if (!match) return null;
  return { scheme: match[1]!.toLowerCase(), credential: match[2]! };
}

export function redactAuth(auth: ParsedAuthorization | null): RedactedAuth | null {
  if (!auth) return null;
  return { scheme: auth.scheme, fingerprint: fingerprint(auth.credential) };
}

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 12);
}

export type JwtCheck = { ok: true } | { ok: false; message: string };

/** GitHub refuses JWTs that live longer than this; a little slack for clock drift. */
const MAX_JWT_LIFETIME_S = 10 * 60 + 60;

/**
 * Checks an app JWT the way GitHub does: RS256 signature (only when a public key is
 * configured), `iss` equal to the app id, `exp` in the future and at most ten minutes
 * after `iat`. The messages are GitHub's, so `@octokit/auth-app`'s clock-skew retry
 * recognizes them.
 */
export function checkAppJwt(
  jwt: string,
  expected: { appId: number; publicKey: KeyObject | null; nowSeconds: number },
): JwtCheck {
  const parts = jwt.split(".");
  const header = parts.length === 3 ? decodeJson(parts[0]!) : null;
  const payload = parts.length === 3 ? decodeJson(parts[1]!) : null;
  if (!header || !payload) return { ok: false, message: "A JSON web token could not be decoded" };
  if (header.alg !== "RS256")
    return { ok: false, message: "A JSON web token could not be decoded" };

  if (expected.publicKey) {
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, "base64url");
    if (!verify("RSA-SHA256", signed, expected.publicKey, signature)) {
      return { ok: false, message: "A JSON web token could not be decoded" };
    }
  }
  if (String(payload.iss) !== String(expected.appId)) {
    return { ok: false, message: `'Issuer' claim ('iss') must be the app id ${expected.appId}` };
  }
  const { iat, exp } = payload;
  if (typeof iat !== "number" || iat > expected.nowSeconds + 60) {
    return {
      ok: false,
      message:
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    };
  }
  if (typeof exp !== "number" || exp <= expected.nowSeconds) {
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    };
  }
  if (exp - iat > MAX_JWT_LIFETIME_S) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { ok: true };
}

export function loadPublicKey(pem: string | undefined): KeyObject | null {
  return pem ? createPublicKey(pem) : null;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Installation tokens look like GitHub's: `ghs_` and 36 alphanumerics. */
export function newInstallationToken(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(36);
  let token = "ghs_";
  for (const byte of bytes) token += alphabet[byte % alphabet.length];
  return token;
}

/** A JWT is three dot-separated parts; an installation token never has a dot. */
export function looksLikeJwt(credential: string): boolean {
  return credential.split(".").length === 3;
}
