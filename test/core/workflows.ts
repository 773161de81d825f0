/**
 * Workflow graphs the core tests share: the strict workflow of issue 8, in which Open leads
 * only to In progress or In review and Ready for test is reached only from In review or
 * Needs improvement.
 */
import type { WorkflowGraph } from "../../src/core/route.js";
import type { StatusCategory, TrackerStatus } from "../../src/core/types.js";

const status = (key: string, display: string, category: StatusCategory): TrackerStatus => ({
  key,
  display,
  category,
});

export const S = {
  open: status("open", "Open", "todo"),
  inProgress: status("inProgress", "In progress", "in_progress"),
  inReview: status("inReview", "In review", "in_progress"),
  needsImprovement: status("needsImprovement", "Needs improvement", "in_progress"),
  readyForTest: status("readyForTest", "Ready for test", "in_progress"),
  testing: status("testing", "Testing", "in_progress"),
  closed: status("closed", "Closed", "done"),
};

const EDGES: Array<[keyof typeof S, string, keyof typeof S]> = [
  ["open", "Start progress", "inProgress"],
  ["open", "Send to review", "inReview"],
  ["inProgress", "Send to review", "inReview"],
  ["inReview", "Request changes", "needsImprovement"],
  ["inReview", "Send to test", "readyForTest"],
  ["needsImprovement", "Send to review", "inReview"],
  ["needsImprovement", "Send to test", "readyForTest"],
  ["readyForTest", "Start testing", "testing"],
  ["readyForTest", "Request changes", "needsImprovement"],
  ["testing", "Close", "closed"],
  ["closed", "Reopen", "open"],
];

export function strictGraph(): WorkflowGraph {
  return {
    statuses: Object.values(S).map((s) => ({ ...s })),
    edges: EDGES.map(([from, display, to]) => ({
      from: S[from].key,
      transition: { id: `${from}-${to}`, display, to: { ...S[to] } },
    })),
    initial: "open",
    source: "tracker",
  };
}
