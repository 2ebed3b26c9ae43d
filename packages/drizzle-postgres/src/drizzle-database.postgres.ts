import { StoreUnavailable } from "@sciple/jira-core"
import { PgDialect } from "drizzle-orm/pg-core"
import { drizzle, PostgresJsDatabase, PostgresJsSession } from "drizzle-orm/postgres-js"
import { migrate } from "drizzle-orm/postgres-js/migrator"
import { Effect, Layer, Redacted } from "effect"
import postgres from "postgres"
import { isConnectionLoss } from "./database-failure.ts"
import { type Db, DrizzleDatabase, makeDrizzleDatabase } from "./drizzle-database.ts"
import { migrationsFolder } from "./migrations.ts"

export interface PostgresOptions {
  /** Apply pending migrations when the layer opens (default true). */
  readonly migrate?: boolean
  /** Pool size (default 10). */
  readonly maxConnections?: number
  /** How long closing waits for running queries before it drops the connections (default 5 s). */
  readonly closeTimeoutSeconds?: number
}

// Any key, as long as nothing else in the database takes the same advisory lock.
const MIGRATION_LOCK = 7_337_001

const clientOptions = {
  // NOTICEs ("schema drizzle already exists, skipping") would otherwise be printed by postgres.js.
  onnotice: () => {},
  connect_timeout: 10
}

/**
 * Migrates on a connection of its own, under an advisory lock, so two instances starting together
 * do not both apply the same migration. Ending the connection releases the lock.
 */
const migratePostgres = async (url: string) => {
  const client = postgres(url, { ...clientOptions, max: 1 })
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migrate(drizzle({ client }), { migrationsFolder })
  } finally {
    await client.end({ timeout: 5 })
  }
}

const dialect = new PgDialect()

/**
 * One transaction on a reserved connection, instead of postgres.js's `begin`. When the connection dies
 * mid-transaction, `begin` still writes ROLLBACK to it, and postgres.js 3.4.9 then throws an uncaught
 * TypeError from a timer (socket.write on null, porsager/postgres#1154, #1208) that kills the process.
 * Here a lost connection gets no further statement and is not released: the pool already moved it to its
 * closed queue and reconnects it on demand, and the server rolled the transaction back with the session.
 */
const transactionOnReserved = async <A>(client: postgres.Sql, body: (tx: Db) => Promise<A>): Promise<A> => {
  const reserved = await client.reserve()
  let alive = true
  try {
    await reserved`begin`
    // Drizzle's own transactions build the same session over `begin`'s connection.
    const result = await body(
      new PostgresJsDatabase(dialect, new PostgresJsSession(reserved, dialect, undefined), undefined)
    )
    await reserved`commit`
    return result
  } catch (error) {
    alive =
      !isConnectionLoss(error) &&
      (await reserved`rollback`.then(
        () => true,
        (rollbackError: unknown) => !isConnectionLoss(rollbackError)
      ))
    throw error
  } finally {
    if (alive) reserved.release()
  }
}

/** Opens a postgres.js pool on `url`; fails with StoreUnavailable (and a one-line reason) if it is unreachable. */
export const openPostgres = (url: string | Redacted.Redacted<string>, options: PostgresOptions = {}) =>
  Effect.gen(function* () {
    const plain = Redacted.isRedacted(url) ? Redacted.value(url) : url
    const client = yield* Effect.try({
      try: () => postgres(plain, { ...clientOptions, max: options.maxConnections ?? 10 }),
      // The URL can hold a password: say what is wrong without repeating it.
      catch: () => new StoreUnavailable({ reason: "DATABASE_URL is not a valid PostgreSQL connection URL" })
    })
    const service = makeDrizzleDatabase({
      driver: "postgres",
      db: drizzle({ client }),
      runTransaction: (body) => transactionOnReserved(client, body),
      migrate: () => migratePostgres(plain),
      close: () => client.end({ timeout: options.closeTimeoutSeconds ?? 5 })
    })
    yield* Effect.addFinalizer(() => service.close)
    yield* service.ping
    if (options.migrate ?? true) yield* service.migrate
    return service
  })

/** The database on a PostgreSQL server. */
export const layerPostgres = (url: string | Redacted.Redacted<string>, options: PostgresOptions = {}) =>
  Layer.effect(DrizzleDatabase, openPostgres(url, options))
