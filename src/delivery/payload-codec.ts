/**
 * A stored payload is JSON text, or brotli-compressed JSON bytes: the SQLite delivery writer
 * (delivery-writer-thread.mjs) compresses what webhooks bring, and every other writer (the
 * PostgreSQL store, the tracker poller) stores text.
 */
import { brotliDecompressSync } from "node:zlib";

export function payloadJson(stored: string | Uint8Array): string {
  return typeof stored === "string" ? stored : brotliDecompressSync(stored).toString("utf8");
}
