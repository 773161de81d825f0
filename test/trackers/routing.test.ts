import { FIXTURES } from "./fixtures.js";
import { runRouting } from "./routing-suite.js";

for (const fixture of FIXTURES) runRouting(fixture);
