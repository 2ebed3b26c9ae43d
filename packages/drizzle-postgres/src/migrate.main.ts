import * as path from "node:path"
import { Cause, Effect, Exit } from "effect"
import { databaseFromEnv, layerFromEnv } from "./drizzle-database.env.ts"
import { DEFAULT_DATA_DIR } from "./drizzle-database.pglite.ts"
import { DrizzleDatabase } from "./drizzle-database.ts"

/**
 * `pnpm db:migrate`: applies pending migrations to the database the environment names (DATABASE_URL, else
 * the PGlite in DATA_DIR) and exits; non-zero, with a one-line reason, when it cannot.
 */
const program = Effect.gen(function* () {
  const target = yield* databaseFromEnv
  yield* DrizzleDatabase.use((database) => database.migrate)
  return target.driver === "postgres"
    ? "PostgreSQL (DATABASE_URL)"
    : `PGlite in ${path.resolve(target.dataDir ?? DEFAULT_DATA_DIR)}`
}).pipe(Effect.provide(layerFromEnv))

const exit = await Effect.runPromiseExit(program)
if (Exit.isSuccess(exit)) {
  process.stdout.write(`Migrations applied: ${exit.value}\n`)
} else {
  const error = Cause.squash(exit.cause)
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
