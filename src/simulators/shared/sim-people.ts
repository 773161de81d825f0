/**
 * The people every tracker simulator knows besides the token's own user, for assignees and
 * `match: email`: a login, a display name, an e-mail, and the id Jira Cloud names them by.
 */
export interface SimPerson {
  login: string;
  name: string;
  email: string;
  /** Jira Cloud's `accountId`. */
  accountId: string;
}

export const SIM_PEOPLE: readonly SimPerson[] = [
  {
    login: "alice",
    name: "Alice Ames",
    email: "alice@acme.test",
    accountId: "5b10ac8d82e05b22cc7d4ef5",
  },
  { login: "bob", name: "Bob Bell", email: "bob@acme.test", accountId: "5b10a2844c20165700ede21g" },
];
