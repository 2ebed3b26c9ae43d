import { PGlite } from "@electric-sql/pglite"
import { StoreUnavailable } from "@sciple/jira-core"
import type { SQL } from "drizzle-orm"
import { Effect, Layer, ManagedRuntime, Predicate } from "effect"
import postgres from "postgres"
import { ConfigStoreDrizzle } from "../config-store.drizzle.ts"
import { classify } from "../database-failure.ts"
import { fromPglite } from "../drizzle-database.pglite.ts"
import { openPostgres } from "../drizzle-database.postgres.ts"
import { DrizzleDatabase } from "../drizzle-database.ts"
import { pgliteTemplate } from "./pglite-template.ts"

const unavailable = (what: string) => (cause: unknown) =>
  new StoreUnavailable({ reason: `${what}: ${classify(cause).reason}` })

/** A migrated in-memory PGlite, loaded from the cached template (no initdb, no migrations to run). */
const openTestPglite = Effect.gen(function* () {
  const template = yield* Effect.tryPromise({
    try: pgliteTemplate,
    catch: unavailable("cannot build the PGlite template")
  })
  const client = yield* Effect.tryPromise({
    try: () => PGlite.create({ loadDataDir: template }),
    catch: unavailable("cannot open PGlite")
  })
  return yield* fromPglite(client, { migrate: false })
})

const adminOptions = { max: 1, onnotice: () => {} }

/**
 * A migrated database of its own on the PostgreSQL server of `url`, dropped with the scope: test files
 * running in parallel never see each other's rows.
 */
export const openTestPostgres = (url: string) =>
  Effect.gen(function* () {
    const name = `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
    const admin = postgres(url, adminOptions)
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => admin.unsafe(`create database "${name}"`),
        catch: unavailable("cannot create a test database")
      }),
      () =>
        Effect.promise(async () => {
          await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => undefined)
          await admin.end({ timeout: 5 })
        })
    )
    const testUrl = new URL(url)
    testUrl.pathname = `/${name}`
    // A connection a test killed never finishes its last query: do not wait the default 5 s for it.
    return yield* openPostgres(testUrl.toString(), { closeTimeoutSeconds: 0.2 })
  })

/** Which database the tests run on: PostgreSQL when DATABASE_URL is set (as in CI's second run), else PGlite. */
export const testDriver = (): "postgres" | "pglite" => (process.env.DATABASE_URL ? "postgres" : "pglite")

/** A fresh, migrated, empty database for one test file (or one test). */
export const testDatabaseLayer = (): Layer.Layer<DrizzleDatabase, StoreUnavailable> => {
  const url = process.env.DATABASE_URL
  return Layer.effect(DrizzleDatabase, url ? openTestPostgres(url) : openTestPglite)
}

/** The ConfigStore and the database under it, over a fresh test database. */
export const testStoresLayer = () => ConfigStoreDrizzle.pipe(Layer.provideMerge(testDatabaseLayer()))

/**
 * One test database shared by several `layer(...)` blocks of a file (each would otherwise open its own):
 * pass `layer` where a layer factory is expected, and call `dispose` in `afterAll`.
 */
export const sharedTestStores = () => {
  const runtime = ManagedRuntime.make(testStoresLayer())
  return { layer: () => Layer.effectContext(runtime.contextEffect), dispose: () => runtime.dispose() }
}

/** Runs raw SQL on the test database and returns its rows, whichever driver answered. */
export const selectRows = (query: SQL) =>
  DrizzleDatabase.use((database) => database.run((db) => db.execute(query))).pipe(
    Effect.map(
      (result): ReadonlyArray<Readonly<Record<string, unknown>>> =>
        // postgres.js answers with an array of rows, PGlite with `{ rows }`.
        Array.isArray(result)
          ? result
          : Predicate.hasProperty(result, "rows") && Array.isArray(result.rows)
            ? result.rows
            : []
    )
  )
