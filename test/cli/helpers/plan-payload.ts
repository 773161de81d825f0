/** The `pull_request.opened` payload the `plan --workflow` tests feed, with the parts they vary. */
export function openedPayload(pr: { branch: string; body: string }) {
  return {
    action: "opened",
    number: 3,
    pull_request: {
      number: 3,
      title: "Login",
      body: pr.body,
      draft: false,
      merged: false,
      state: "open",
      html_url: "https://github.com/acme/web/pull/3",
      head: { ref: pr.branch, sha: "a".repeat(40) },
      updated_at: "2026-12-06T20:00:00Z",
    },
    repository: { name: "web", owner: { login: "acme" } },
    sender: { login: "alice", type: "User" },
  };
}
