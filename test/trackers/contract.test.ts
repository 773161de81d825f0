import { startJiraSimulator } from "../../src/simulators/jira/index.js";
import { startYandexSimulator } from "../../src/simulators/yandex/index.js";
import { runContract } from "./contract-suite.js";

const TOKEN = "y0_secret-token-1234567890";
const EMAIL = "bot@acme.test";

runContract({
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
});

for (const apiVersion of [3, 2] as const) {
  const cloud = apiVersion === 3;
  runContract({
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
  });
}
