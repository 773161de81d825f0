import { runContract } from "./contract-suite.js";
import { FIXTURES } from "./fixtures.js";

for (const fixture of FIXTURES) runContract(fixture);
