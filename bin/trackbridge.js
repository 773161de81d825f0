#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `trackbridge` works from a checkout without a build.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main();
