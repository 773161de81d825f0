import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    setupFiles: ["test/setup/github-contract.ts"],
    hookTimeout: 30_000,
    // Several suites start real servers and child processes; two cores only.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
