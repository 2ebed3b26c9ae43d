import { defineConfig } from "drizzle-kit"

// The schema and migrations live in the PostgreSQL adapter; run drizzle-kit from the repository root.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/drizzle-postgres/src/schema.ts",
  out: "./packages/drizzle-postgres/drizzle",
  strict: true,
  verbose: true
})
