// The Action's entry (bundled into action/dist/index.js). No logic here: see run.ts.
import { run } from "./run.js";

await run();
