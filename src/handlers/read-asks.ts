/**
 * What a pull-request event asks beyond its keys: an issue created (`/trackbridge create`, the
 * config's label, `when: no_key` on opening) or links taken off (`/trackbridge unlink KEY`).
 * A command counts only from someone with write access to the repository (asked of GitHub:
 * one request, only for a comment that carries a command).
 */
import type { Context } from "probot";
import { parseCommand, pullRequestAsks } from "../core/plan-create.js";
import type { Asks } from "../core/plan-event.js";
import type { RepoConfig } from "../core/repo-config.js";

type AskContext = Context<"pull_request" | "pull_request_review" | "issue_comment">;

const WRITERS = new Set(["admin", "maintain", "write"]);

export async function readAsks(
  context: AskContext,
  config: RepoConfig,
): Promise<{ asks: Asks; notes: string[] }> {
  const payload = context.payload as {
    action?: string;
    label?: { name?: string };
    comment?: { body?: string; user?: { login?: string } };
  };
  if (context.name === "pull_request") return { asks: pullRequestAsks(payload, config), notes: [] };
  if (context.name !== "issue_comment" || payload.action !== "created")
    return { asks: {}, notes: [] };
  const command = parseCommand(payload.comment?.body ?? "");
  if (!command) return { asks: {}, notes: [] };
  const login = payload.comment?.user?.login ?? "";
  const { data } = await context.octokit.rest.repos.getCollaboratorPermissionLevel(
    context.repo({ username: login }),
  );
  if (!WRITERS.has(data.role_name ?? data.permission)) {
    return {
      asks: {},
      notes: [
        `/trackbridge ${command.name} by @${login} ignored: it needs write access to the repository`,
      ],
    };
  }
  if (command.name === "unlink") return { asks: { unlink: command.keys }, notes: [] };
  const { name: _, ...ask } = command;
  return { asks: { create: { via: "command", ...ask } }, notes: [] };
}
