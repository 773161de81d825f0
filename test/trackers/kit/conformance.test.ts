import { runConformance } from "./conformance-suite.js";
import { KIT_FIXTURES } from "./fixtures.js";
import { runPushConformance } from "./push-suite.js";

for (const fixture of KIT_FIXTURES) {
  runConformance(fixture);
  runPushConformance(fixture);
}
