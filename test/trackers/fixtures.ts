/**
 * The three tracker fixtures the contract and routing suites run against: Yandex Tracker,
 * Jira Cloud and Jira Data Center, each with its simulator over real HTTP.
 */
import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import { strictJiraWorkflow, strictYandexWorkflow } from "../../src/simulators/shared/workflow.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
import type { ContractFixture } from "./contract-suite.js";

const TOKEN = "y0_secret-token-1234567890";
const EMAIL = "bot@acme.test";

export const YANDEX: ContractFixture = {
  name: "yandex",
  start: () => startYandexSimulator({ token: TOKEN, orgId: "7001" }),
  connection: (url) => ({ name: "yandex", type: "yandex", url, token: TOKEN, orgId: "7001" }),
  secrets: [TOKEN],
  readyForTest: {
    target: "readyForTest",
    alternatives: ["Ready for test", "READY FOR TEST", "sendToTest"],
  },
  field: { id: "benchLink", stored: "benchLink" },
  refusedField: { id: "noSuchField", trackerMessage: "noSuchField: Field not found" },
  strictWorkflow: strictYandexWorkflow,
  graphApi: true,
};

function jira(apiVersion: 2 | 3): ContractFixture {
  const cloud = apiVersion === 3;
  return {
    name: cloud ? "jira-cloud" : "jira-dc",
    start: () =>
      startJiraSimulator({ token: TOKEN, apiVersion, ...(cloud ? { email: EMAIL } : {}) }),
    connection: (url) => ({
      name: cloud ? "jira-cloud" : "jira-dc",
      type: "jira",
      url,
      token: TOKEN,
      ...(cloud ? { email: EMAIL } : {}),
    }),
    secrets: [TOKEN, Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")],
    readyForTest: { target: "Ready for test", alternatives: ["ready for test", "10003", "51"] },
    field: { id: "customfield_10010", stored: "customfield_10010" },
    refusedField: {
      id: "customfield_10999",
      trackerMessage:
        "Field 'customfield_10999' cannot be set. It is not on the appropriate screen, or unknown.",
    },
    strictWorkflow: strictJiraWorkflow,
    graphApi: cloud,
  };
}

export const FIXTURES: ContractFixture[] = [YANDEX, jira(3), jira(2)];
