import type { DrizzleDatabaseShape } from "@sciple/drizzle-postgres"
import { StoreUnavailable } from "@sciple/jira-core"
import { sql } from "drizzle-orm"
import { Effect } from "effect"
import {
  DEFAULT_POLICY,
  type LoginThrottleShape,
  type Reservation,
  retryAfterSeconds,
  type ThrottlePolicy
} from "./login-throttle.ts"

interface Row {
  readonly key: string
  readonly attempts: number
  readonly max_attempts: number
  readonly expires_at: string | Date
}

/** postgres.js answers an array, PGlite `{ rows }`. */
const rowsOf = (result: unknown): ReadonlyArray<Row> => {
  if (Array.isArray(result)) return result
  if (typeof result === "object" && result !== null && "rows" in result && Array.isArray(result.rows))
    return result.rows
  return []
}

/** How many reservations between two sweeps of expired rows. */
const SWEEP_EVERY = 25

/**
 * The throttle on the `login_attempts` table (migration 0003): one upsert reserves the attempt on all three
 * keys, the row lock serialising concurrent attempts, so a burst gets exactly the limit and no more; the
 * account and client keys only count attempts the pair let through.
 */
export const makeLoginThrottleDrizzle = (
  database: DrizzleDatabaseShape,
  policy: ThrottlePolicy = DEFAULT_POLICY
): LoginThrottleShape => {
  let reservations = 0
  const unavailable = Effect.mapError(
    (failure: { readonly reason: StoreUnavailable["reason"] }) => new StoreUnavailable({ reason: failure.reason })
  )
  const upsertSet = sql.raw(`attempts = case when a.expires_at <= excluded.window_started_at then 1
        else least(a.attempts + 1, excluded.max_attempts + 1) end,
      max_attempts = excluded.max_attempts,
      window_started_at = case when a.expires_at <= excluded.window_started_at then excluded.window_started_at
        else a.window_started_at end,
      expires_at = case when a.expires_at <= excluded.window_started_at then excluded.expires_at else a.expires_at end`)

  const sweep = (now: Date) =>
    database.run((db) =>
      // A few at a time: bounded work per sign-in, never a wholesale clear.
      db.execute(sql`delete from login_attempts where key in (
        select key from login_attempts where expires_at < ${now.toISOString()}::timestamptz limit 200)`)
    )

  return {
    reserve: (keys, now) => {
      const start = now.toISOString()
      const end = new Date(now.getTime() + policy.windowMs).toISOString()
      return database
        .run((db) =>
          db.execute(sql`
            with pair as (
              insert into login_attempts as a (key, attempts, max_attempts, window_started_at, expires_at)
              values (${keys.pair}, 1, ${policy.pairLimit}::int, ${start}::timestamptz, ${end}::timestamptz)
              on conflict (key) do update set ${upsertSet}
              returning a.key, a.attempts, a.max_attempts, a.expires_at
            ), wider as (
              insert into login_attempts as a (key, attempts, max_attempts, window_started_at, expires_at)
              select v.key, 1, v.max_attempts, ${start}::timestamptz, ${end}::timestamptz
              from (values (${keys.account}::text, ${policy.accountLimit}::int), (${keys.client}::text, ${policy.clientLimit}::int))
                as v(key, max_attempts)
              where exists (select 1 from pair where pair.attempts <= pair.max_attempts)
              on conflict (key) do update set ${upsertSet}
              returning a.key, a.attempts, a.max_attempts, a.expires_at
            )
            select key, attempts, max_attempts, expires_at from pair
            union all select key, attempts, max_attempts, expires_at from wider`)
        )
        .pipe(
          unavailable,
          Effect.tap(() => {
            reservations += 1
            return reservations % SWEEP_EVERY === 0 ? sweep(now).pipe(Effect.ignore) : Effect.void
          }),
          Effect.map((result): Reservation => {
            const refused = rowsOf(result).filter((row) => Number(row.attempts) > Number(row.max_attempts))
            return refused.length === 0
              ? { allowed: true }
              : {
                  allowed: false,
                  retryAfterSeconds: retryAfterSeconds(
                    refused.map((row) => new Date(row.expires_at)),
                    now
                  )
                }
          })
        )
    },
    succeeded: (keys) =>
      database
        .run((db) =>
          db.execute(sql`
            with reset as (delete from login_attempts where key = ${keys.pair} returning key)
            update login_attempts set attempts = greatest(attempts - 1, 0)
            where key in (${keys.account}, ${keys.client})`)
        )
        .pipe(unavailable, Effect.asVoid)
  }
}
