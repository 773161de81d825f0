/** What `npm run demo` prints, for the demo tests: the whole output as one text. */
import { PassThrough } from "node:stream";
import { runDemo } from "../../../src/cli/demo.js";

export async function demoText(tracker?: string): Promise<string> {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => (text += chunk.toString()));
  await runDemo(out, tracker);
  return text;
}
