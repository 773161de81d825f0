/** The GitHub user who sends the bench's webhooks (the `sender` of every payload). */
import { userJson } from "../../src/simulators/github/index.js";

export const SENDER = userJson("alice");
