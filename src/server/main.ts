// `npm start`: the server's entry point. Everything it does is in run-server.ts.
import { runServer } from "./run-server.js";

await runServer(process.env);
