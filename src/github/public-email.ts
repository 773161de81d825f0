/**
 * `match: email`: the e-mail a person shows on their GitHub profile, for the assign actions
 * that ask for it. Why this source: `GET /users/{username}` is readable with the App's
 * installation token and answers `email` only when the user made one public, and GitHub lets
 * a user make public only an address they verified. `GET /user/emails` (every verified
 * address) needs the user's own token, which the App does not hold for a PR's author; a
 * commit's author e-mail is whatever their git config says (GitHub ties it to a login only
 * when it is one of the account's verified addresses, and it is often a noreply one). Cost:
 * one request per person, only for `match: email`.
 */
import type { Plan, PlannedAction } from "../core/types.js";

export interface UsersApi {
  rest: {
    users: {
      getByUsername(params: { username: string }): Promise<{ data: { email?: string | null } }>;
    };
  };
}

type Assign = Extract<PlannedAction, { kind: "assign" }>;

/** Fills `email` on each `match: email` assign action whose person shows one. */
export async function addPublicEmails(octokit: UsersApi, plan: Plan): Promise<void> {
  const wanted = plan.actions.filter(
    (action): action is Assign => action.kind === "assign" && action.match === "email",
  );
  const people = [...new Set(wanted.map((action) => action.person))];
  const emails = new Map(
    await Promise.all(
      people.map(async (login) => [login, await publicEmail(octokit, login)] as const),
    ),
  );
  for (const action of wanted) {
    const email = emails.get(action.person);
    if (email) action.email = email;
  }
}

async function publicEmail(octokit: UsersApi, login: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.users.getByUsername({ username: login });
    return typeof data.email === "string" && data.email.includes("@") ? data.email : null;
  } catch (error) {
    // A login GitHub no longer knows (a deleted account): nobody to look up.
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}
