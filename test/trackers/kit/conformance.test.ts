import { KIT_FIXTURES } from "../../../src/simulators/scenario/kit-fixtures.js";
import { runConformance } from "./conformance-suite.js";
import { runPushConformance } from "./push-suite.js";

for (const fixture of KIT_FIXTURES) {
  runConformance(fixture);
  runPushConformance(fixture);
}
