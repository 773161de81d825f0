/** `trackbridge init` run in-process, and the workflows its tests read from the simulators. */
import { registerInitCommand } from "../../../src/cli/init-command.js";
import type { SimWorkflow } from "../../../src/simulators/shared/workflow.js";
import { type CliRun, runInProcess } from "./run-in-process.js";

/** A Yandex queue as Russian-speaking teams set it up: English keys, Russian names. */
export const RUSSIAN_WORKFLOW: SimWorkflow = {
  statuses: [
    { key: "open", display: "Открыт", id: "1", category: "new" },
    { key: "inProgress", display: "В работе", id: "3", category: "indeterminate" },
    { key: "inReview", display: "Ревью", id: "4", category: "indeterminate" },
    { key: "needsImprovement", display: "Требует доработки", id: "5", category: "indeterminate" },
    { key: "readyForTest", display: "Можно тестировать", id: "6", category: "indeterminate" },
    { key: "resolved", display: "Решен", id: "7", category: "done" },
    { key: "closed", display: "Закрыт", id: "8", category: "done" },
    { key: "cancelled", display: "Отменено", id: "9", category: "done" },
  ],
  transitions: [
    { id: "start", display: "В работу", from: ["open", "needsImprovement"], to: "inProgress" },
    { id: "review", display: "На ревью", from: ["inProgress"], to: "inReview" },
    { id: "rework", display: "На доработку", from: ["inReview"], to: "needsImprovement" },
    { id: "test", display: "В тестирование", from: ["inReview"], to: "readyForTest" },
    { id: "resolve", display: "Решить", from: ["readyForTest"], to: "resolved" },
    { id: "close", display: "Закрыть", from: ["resolved"], to: "closed" },
    { id: "cancel", display: "Отменить", from: ["open", "inProgress"], to: "cancelled" },
  ],
  initial: "open",
};

/** Jira Cloud's software template. */
export const SOFTWARE_WORKFLOW: SimWorkflow = {
  statuses: [
    { key: "todo", display: "To Do", id: "10000", category: "new" },
    { key: "doing", display: "In Progress", id: "3", category: "indeterminate" },
    { key: "review", display: "In Review", id: "10001", category: "indeterminate" },
    { key: "done", display: "Done", id: "10002", category: "done" },
  ],
  transitions: [
    { id: "11", display: "To Do", from: ["doing", "review", "done"], to: "todo" },
    { id: "21", display: "In Progress", from: ["todo", "review", "done"], to: "doing" },
    { id: "31", display: "In Review", from: ["todo", "doing", "done"], to: "review" },
    { id: "41", display: "Done", from: ["todo", "doing", "review"], to: "done" },
  ],
  initial: "todo",
};

export async function runInit(
  env: Record<string, string>,
  cwd: string,
  args: string[],
): Promise<CliRun> {
  return runInProcess(
    ["init", ...args],
    [
      (program, io) =>
        registerInitCommand(program, { io, env, cwd, now: () => new Date("2026-12-02") }),
    ],
  );
}
