import { JiraMetrics, StoreUnavailable } from "@sciple/jira-core"
import { drizzle } from "drizzle-orm/postgres-js"
import { migrate } from "drizzle-orm/postgres-js/migrator"
import { Effect, Layer, Metric, Redacted } from "effect"
import postgres from "postgres"
import { CHANGES_CHANNEL } from "./change-notices.ts"
import { DrizzleDatabase, type Listen, makeDrizzleDatabase } from "./drizzle-database.ts"
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
  // A connection that has not started in 5 s is broken (a reconnect after the server dropped it): fail the
  // request with a typed 503 rather than keep the caller waiting on it.
  connect_timeout: 5
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

const relistenDelayMs = (attempt: number) => Math.min(5_000, 100 * 2 ** attempt)

/**
 * LISTEN on a connection of its own. When that connection is lost, notices may have been missed: `*` is
 * delivered, and again once it listens anew (retried with a capped backoff). Not postgres.js's `listen`: it
 * re-listens once after a lost connection and stops for good, silently, if the server is down at that moment;
 * `onnotify` and `onclose` are the client options that `listen` is built on.
 */
const listenPostgres =
  (url: string): Listen =>
  async (deliver) => {
    let state: "starting" | "listening" | "lost" | "stopped" = "starting"
    let attempts = 0
    let retry: ReturnType<typeof setTimeout> | null = null
    let attempting = false

    const listenNow = () => client.unsafe(`listen ${CHANGES_CHANNEL}`)
    const scheduleAttempt = () => {
      if (state !== "lost" || retry !== null || attempting) return
      retry = setTimeout(() => {
        retry = null
        attempting = true
        listenNow().then(
          () => {
            attempting = false
            attempts = 0
            if (state !== "lost") return
            state = "listening"
            deliver("*")
          },
          () => {
            attempting = false
            attempts++
            scheduleAttempt()
          }
        )
      }, relistenDelayMs(attempts))
      retry.unref()
    }

    const options = {
      ...clientOptions,
      max: 1,
      max_lifetime: null,
      connection: { application_name: "sciple-notices" },
      onnotify: (channel: string, payload: string) => {
        if (channel === CHANGES_CHANNEL && state === "listening") deliver(payload)
      },
      onclose: () => {
        if (state === "listening") {
          state = "lost"
          deliver("*")
        }
        scheduleAttempt()
      }
    }
    const client = postgres(url, options)
    try {
      await listenNow()
    } catch (error) {
      state = "stopped"
      await client.end({ timeout: 0 })
      throw error
    }
    state = "listening"
    return async () => {
      state = "stopped"
      if (retry !== null) clearTimeout(retry)
      await client.end({ timeout: 0 })
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
    const db = drizzle({ client })
    yield* Metric.update(
      Metric.withAttributes(JiraMetrics.databasePoolSize, { driver: "postgres" }),
      options.maxConnections ?? 10
    )
    const service = makeDrizzleDatabase({
      driver: "postgres",
      db,
      // postgres.js's own `begin`: a reserved connection loses queued statements when it reconnects (the
      // transactions hang), and the crash that reserving once avoided is fixed by the postgres.js patch.
      runTransaction: (body) => db.transaction((tx) => body(tx)),
      migrate: () => migratePostgres(plain),
      listen: listenPostgres(plain),
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
