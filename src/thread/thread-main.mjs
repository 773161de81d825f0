// The processing thread's first module: Node runs it as plain JavaScript, so it registers tsx (as
// bin/trackbridge.js does) before loading the TypeScript entry. The same under `npm start`,
// the tests and the benchmarks, whatever loader the main thread was started with.
import { register } from "tsx/esm/api";

register();
await import("./thread-main.ts");
