import { JiraMetrics, StoreUnavailable } from "@sciple/jira-core"
import { sql } from "drizzle-orm"
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core"
import { Context, Effect, Schedule, type Scope } from "effect"
import { type Change, parseChange } from "./change-notices.ts"
import { classify, DatabaseFailure } from "./database-failure.ts"

/** Either driver's database, or a transaction on it: the stores are written once against this. */
export type Db = PgDatabase<PgQueryResultHKT>

export type Driver = "postgres" | "pglite"

export interface DrizzleDatabaseShape {
  readonly driver: Driver
  /** Runs statements outside a transaction; any driver error becomes a DatabaseFailure. */
  readonly run: <A>(body: (db: Db) => Promise<A>) => Effect.Effect<A, DatabaseFailure>
  /**
   * Runs `body` in one transaction: it commits when `body` resolves and rolls back when it throws or
   * calls `abort`, which ends it with that typed error. Serialization failures and deadlocks run it again
   * a few times before giving up as `unavailable`.
   */
  readonly transaction: <A, E>(
    body: (tx: Db, abort: (error: E) => never) => Promise<A>
  ) => Effect.Effect<A, E | DatabaseFailure>
  /** Readiness: one round trip to the database. */
  readonly ping: Effect.Effect<void, StoreUnavailable>
  /** Applies pending migrations; applied ones are recorded and skipped, so it can run on every start. */
  readonly migrate: Effect.Effect<void, StoreUnavailable>
  /**
   * Calls `handler` with every change committed to the database, by this process or another, for as long as
   * the scope lasts. `Everything` comes when notices may have been missed: when the listening connection is
   * lost, and again once it listens anew. The first subscription opens the listening connection and fails
   * with StoreUnavailable when it cannot; the handler runs synchronously and must not throw.
   */
  readonly notices: (handler: (change: Change) => void) => Effect.Effect<void, StoreUnavailable, Scope.Scope>
  /** Closes the connection(s) now; later calls fail with StoreUnavailable. The layer's scope also closes it. */
  readonly close: Effect.Effect<void>
}

/** Starts listening for change notices, passing on each payload; resolves to how to stop. */
export type Listen = (deliver: (payload: string) => void) => Promise<() => Promise<void>>

/** The open database: one per process, owned by the layer's scope. */
export class DrizzleDatabase extends Context.Service<DrizzleDatabase, DrizzleDatabaseShape>()(
  "@sciple/drizzle-postgres/DrizzleDatabase"
) {}

export const toStoreUnavailable = (failure: DatabaseFailure) => new StoreUnavailable({ reason: failure.reason })

/** Thrown inside a transaction body to roll it back; carries nothing, the typed error is kept aside. */
class Rollback extends Error {
  constructor() {
    super("rolled back")
  }
}

const RETRIES = 4

/** How long a read may take before the request gets a typed "unavailable". */
const READ_TIMEOUT = "8 seconds"

const retryPolicy = {
  while: (error: unknown) => error instanceof DatabaseFailure && error.kind === "retryable",
  times: RETRIES,
  schedule: Schedule.exponential("5 millis").pipe(Schedule.jittered)
}

/** Builds the service over a drizzle database; each driver's layer supplies how to migrate and close. */
export const makeDrizzleDatabase = (options: {
  readonly driver: Driver
  readonly db: Db
  /** How to run one transaction; drizzle's own by default. */
  readonly runTransaction?: <A>(body: (tx: Db) => Promise<A>) => Promise<A>
  readonly migrate: () => Promise<void>
  readonly listen: Listen
  readonly close: () => Promise<void>
}): DrizzleDatabaseShape => {
  const { db } = options
  const runTransaction = options.runTransaction ?? ((body) => db.transaction(body))
  const pooled = JiraMetrics.inDatabasePool(options.driver)
  const run = <A>(body: (db: Db) => Promise<A>) =>
    Effect.tryPromise({ try: () => body(db), catch: (cause) => classify(cause) }).pipe(
      pooled,
      // A read on a connection the server dropped can wait on the driver indefinitely; the caller gets a
      // typed "unavailable" instead. (Writes are not timed out: a write that may still commit is not a failure.)
      Effect.timeoutOrElse({
        duration: READ_TIMEOUT,
        orElse: () =>
          Effect.fail(
            new DatabaseFailure({
              kind: "unavailable",
              constraint: null,
              reason: "the database did not answer in time"
            })
          )
      })
    )

  const transaction = <A, E>(body: (tx: Db, abort: (error: E) => never) => Promise<A>) =>
    Effect.suspend(() => {
      let aborted: { readonly error: E } | null = null
      const abort = (error: E): never => {
        aborted = { error }
        throw new Rollback()
      }
      return Effect.tryPromise({
        try: () => runTransaction((tx) => body(tx, abort)),
        catch: (cause): E | DatabaseFailure => (aborted === null ? classify(cause) : aborted.error)
      }).pipe(pooled)
    }).pipe(
      Effect.retry(retryPolicy),
      Effect.mapError((error) =>
        error instanceof DatabaseFailure && error.kind === "retryable"
          ? new DatabaseFailure({ ...error, kind: "unavailable" })
          : error
      )
    )

  const handlers = new Set<(change: Change) => void>()
  const deliver = (payload: string) => {
    const change = parseChange(payload)
    for (const handler of [...handlers]) {
      // A throwing handler must not stop the others, nor reach the driver's socket handler.
      try {
        handler(change)
      } catch {}
    }
  }
  // One listening connection for every subscriber, opened by the first.
  let listening: Promise<() => Promise<void>> | null = null
  let closed: Promise<void> | null = null

  const startListening = () => {
    listening ??= options.listen(deliver).catch((error: unknown) => {
      listening = null
      throw error
    })
    return listening
  }

  const notices = (handler: (change: Change) => void) =>
    Effect.acquireRelease(
      Effect.suspend(() =>
        closed === null
          ? Effect.tryPromise({ try: startListening, catch: (cause) => toStoreUnavailable(classify(cause)) })
          : Effect.fail(new StoreUnavailable({ reason: "the database connection is closed" }))
      ).pipe(
        Effect.andThen(
          Effect.sync(() => {
            handlers.add(handler)
          })
        )
      ),
      () =>
        Effect.sync(() => {
          handlers.delete(handler)
        })
    )

  const close = Effect.promise(() => {
    closed ??= (async () => {
      const stop = await listening?.catch(() => null)
      await stop?.().catch(() => undefined)
      await options.close().catch(() => undefined)
    })()
    return closed
  })

  return {
    driver: options.driver,
    run,
    transaction,
    ping: run((db) => db.execute(sql`select 1`)).pipe(Effect.asVoid, Effect.mapError(toStoreUnavailable)),
    migrate: Effect.tryPromise({ try: options.migrate, catch: (cause) => toStoreUnavailable(classify(cause)) }),
    notices,
    close
  }
}
