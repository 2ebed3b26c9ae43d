import { defineConfig } from "vitest/config"

// The browser suite: the app in-process, the Jira simulator on loopback, the system's Chromium. One file, one fork,
// in order: its tests share one signed-in session and build on each other's state.
export default defineConfig({
  test: {
    include: ["src/browser/**/*.browser.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false
  }
})
