/** The GitHub user who sends the bench's webhooks (the `sender` of every payload). */
export const SENDER = {
  login: "alice",
  id: 7919,
  node_id: "U_alice",
  type: "User" as const,
  site_admin: false as const,
  html_url: "https://github.com/alice",
};
