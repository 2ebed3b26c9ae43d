import { type DrizzleDatabaseShape, openPglite, openPostgres } from "@sciple/drizzle-postgres"
import { Effect, Predicate } from "effect"

export interface DumpedTable {
  /** `schema.table`. */
  readonly name: string
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
}

/** Where the app kept its data: its PostgreSQL database, or the embedded one in its data folder. */
export type DatabaseLocation = { readonly url: string } | { readonly dataDir: string }

// postgres.js answers with an array of rows, PGlite with `{ rows }`.
const rowsOf = (result: unknown): ReadonlyArray<Readonly<Record<string, unknown>>> =>
  Array.isArray(result)
    ? result
    : Predicate.hasProperty(result, "rows") && Array.isArray(result.rows)
      ? result.rows
      : []

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

/**
 * Every row of every table, in every schema but the system's: the tables are listed from the catalogue, so
 * a table added by a later migration (or drizzle's own `__drizzle_migrations`) is dumped too.
 */
const dumpTables = (database: DrizzleDatabaseShape) =>
  Effect.gen(function* () {
    const tables = rowsOf(
      yield* database.run((db) =>
        db.execute(
          "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'" +
            " and table_schema not in ('pg_catalog', 'information_schema') order by table_schema, table_name"
        )
      )
    )
    const dumped: Array<DumpedTable> = []
    for (const table of tables) {
      const name = `${String(table.table_schema)}.${String(table.table_name)}`
      const from = `${quoted(String(table.table_schema))}.${quoted(String(table.table_name))}`
      const rows = rowsOf(yield* database.run((db) => db.execute(`select * from ${from}`)))
      dumped.push({ name, rows })
    }
    return dumped
  })

/** Opens the app's database once the app has stopped (the embedded one is locked while the app runs) and dumps it. */
export const dumpDatabaseAt = (location: DatabaseLocation): Promise<ReadonlyArray<DumpedTable>> =>
  Effect.runPromise(
    Effect.scoped(
      ("url" in location
        ? openPostgres(location.url, { migrate: false, maxConnections: 1 })
        : openPglite({ dataDir: location.dataDir, migrate: false })
      ).pipe(Effect.flatMap(dumpTables))
    )
  )
