// Loaded with `--import` into every Node 24 process of the second test run (scripts/node24.mjs
// puts it in NODE_OPTIONS, which child processes inherit). node_modules holds better-sqlite3
// built for Node 20; this sends its `require()` of the addon to the copy that node24.mjs built
// against Node 24's headers, so one node_modules serves both runs and the Node 20 tree is never
// touched.
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { addonFile } from "./addon-file.mjs";

const BUILT_FOR_NODE20 = /\/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (!BUILT_FOR_NODE20.test(resolved.url)) return resolved;
    const manifest = new URL("../../package.json", resolved.url);
    const { version } = JSON.parse(readFileSync(manifest, "utf8"));
    const url = new URL(addonFile(version, process.versions.node), import.meta.url);
    return { ...resolved, url: url.href };
  },
});
