import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript source (the "@sciple/source" export condition), so tests need no build.
const sourceConditions = ["@sciple/source", "node", "development|production"]

// One run for every package; the browser suite has its own config (apps/dashboard/vitest.browser.config.ts).
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: [
      // Tests live beside src/, never in it: src/ holds production code only (adr/0029).
      "packages/*/test/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "apps/*/test/**/*.test.tsx"
    ],
    // apps/embedding-example runs its own tests on the packed packages (its run.sh).
    exclude: ["**/node_modules/**", "**/*.browser.test.ts", "apps/embedding-example/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks"
  }
})
