import * as fs from "node:fs"
import * as path from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { JiraMetrics, StoreUnavailable } from "@sciple/jira-core"
import { drizzle } from "drizzle-orm/pglite"
import { migrate } from "drizzle-orm/pglite/migrator"
import { Effect, Layer, Metric } from "effect"
import { CHANGES_CHANNEL } from "./change-notices.ts"
import { lockDataDir } from "./data-dir-lock.ts"
import { classify } from "./database-failure.ts"
import { DrizzleDatabase, makeDrizzleDatabase } from "./drizzle-database.ts"
import { migrationsFolder } from "./migrations.ts"
import { initdbInChild, isInitialised, PGLITE_CONF } from "./pglite-initdb.ts"

export interface PgliteOptions {
  /**
   * The application's data folder (default `./.data`). The database lives in its `pglite` folder and
   * `pglite.lock` keeps a second process out.
   */
  readonly dataDir?: string
  /** Apply pending migrations when the layer opens (default true). */
  readonly migrate?: boolean
}

export const DEFAULT_DATA_DIR = "./.data"

/**
 * Wraps an open PGlite; the client is closed with the scope.
 * @internal not used by production code: for tests and test support
 */
export const fromPglite = (client: PGlite, options: { readonly migrate?: boolean } = {}) =>
  Effect.gen(function* () {
    const db = drizzle({ client })
    // One backend in WASM: every query takes turns on it.
    yield* Metric.update(Metric.withAttributes(JiraMetrics.databasePoolSize, { driver: "pglite" }), 1)
    const service = makeDrizzleDatabase({
      driver: "pglite",
      db,
      migrate: () => migrate(db, { migrationsFolder }),
      // One backend in this process: a notice arrives right after the COMMIT that sent it, and is never missed.
      listen: async (deliver) => {
        const unlisten = await client.listen(CHANGES_CHANNEL, deliver)
        return () => unlisten()
      },
      close: () => client.close()
    })
    yield* Effect.addFinalizer(() => service.close)
    if (options.migrate ?? true) yield* service.migrate
    return service
  })

const openFailure = (what: string) => (cause: unknown) =>
  new StoreUnavailable({ reason: `${what} (${classify(cause).reason})` })

/** Opens (creating on first use) the embedded database in a data folder, locked against other processes. */
export const openPglite = (options: PgliteOptions = {}) =>
  Effect.gen(function* () {
    const folder = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR)
    yield* Effect.try({
      try: () => fs.mkdirSync(folder, { recursive: true }),
      catch: () => new StoreUnavailable({ reason: `cannot create the data folder ${folder}` })
    })
    yield* lockDataDir(path.join(folder, "pglite.lock"), folder)
    const database = path.join(folder, "pglite")
    if (!isInitialised(database)) {
      yield* Effect.tryPromise({
        try: () => initdbInChild(database),
        catch: openFailure(`cannot create the embedded database in ${folder}`)
      })
    }
    const client = yield* Effect.tryPromise({
      try: () => PGlite.create(database, { postgresqlconf: [...PGLITE_CONF] }),
      catch: openFailure(`cannot open the embedded database in ${folder}`)
    })
    return yield* fromPglite(client, options)
  })

/** The embedded database (PGlite) in a data folder: the default when no DATABASE_URL is set. */
export const layerPglite = (options: PgliteOptions = {}) => Layer.effect(DrizzleDatabase, openPglite(options))
