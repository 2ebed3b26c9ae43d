import { defineConfig } from "vitest/config"

// One run for every package; the browser suite has its own config (apps/dashboard/vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/src/**/*.test.tsx"],
    exclude: ["**/node_modules/**", "**/*.browser.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks"
  }
})
