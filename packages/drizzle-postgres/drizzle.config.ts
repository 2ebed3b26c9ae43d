import { defineConfig } from "drizzle-kit"

// Paths are relative to this package: run drizzle-kit from here (`pnpm db:generate`).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./drizzle",
  strict: true,
  verbose: true
})
