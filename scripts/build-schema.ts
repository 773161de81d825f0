/**
 * Writes schema/trackbridge.schema.json, the JSON Schema editors use for
 * `.github/trackbridge.yml`. Run with `npm run build:schema`; test/core/json-schema.test.ts
 * fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { repoConfigJsonSchema } from "../src/core/repo-config.js";

export const SCHEMA_PATH = fileURLToPath(
  new URL("../schema/trackbridge.schema.json", import.meta.url),
);

/** The exact bytes of the committed file: two-space JSON and a final newline. */
export function renderSchemaFile(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}

function main(): void {
  writeFileSync(SCHEMA_PATH, renderSchemaFile());
  console.log(`wrote ${SCHEMA_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
