import { defineConfig } from "vitest/config"

// Only the sources: tsc's output in dist/ holds the same tests compiled.
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } })
