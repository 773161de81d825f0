/**
 * Every test file: the GitHub simulator is held to GitHub's OpenAPI descriptions
 * (test/contract/github-openapi.ts), and a test that made an undocumented call or sent a
 * webhook payload GitHub would not send fails, with each mismatch listed.
 */
import { afterAll, afterEach } from "vitest";
import { holdToContract, takeContractViolations } from "../../src/simulators/github/contract.js";
import { loadGitHubContract } from "../contract/github-openapi.js";

holdToContract(loadGitHubContract());

function failOnViolations(): void {
  const found = takeContractViolations();
  if (found.length === 0) return;
  throw new Error(
    `The GitHub simulator saw what GitHub's OpenAPI description does not document:\n${found.join("\n")}`,
  );
}

afterEach(failOnViolations);
afterAll(failOnViolations);
