import { defineConfig } from "vitest/config"

// The browser suite: the app in-process, the Jira simulator on loopback, the system's Chromium. One fork, files one
// after another, tests in order: a file's tests share one signed-in session and build on each other's state.
// Workspace packages resolve to their TypeScript source, as in the root vitest.config.ts.
const sourceConditions = ["@sciple/source", "node", "development|production"]

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: ["test/browser/**/*.browser.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false
  }
})
