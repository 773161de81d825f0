/** A pull request body as teams write them: a filled-in template, a checklist, a log excerpt. */
export function prBody(n: number): string {
  return `<!-- Describe the change. Put the issue key (e.g. ABC-123) in the branch name. -->
## What
Validates the login form before it is sent: empty fields, e-mail format, and a password
of at least 12 characters. Stores names as UTF-8.

## Why
Users kept getting a 500 from the API on an empty e-mail. Refs DOCS-${n}.

## How to test
- [x] unit tests
- [ ] open /signup, submit an empty form, see the inline errors

\`\`\`
POST /api/session 500 (Internal Server Error) sha256=9f86d081884c7d65 build node-20.x
\`\`\`
`;
}
