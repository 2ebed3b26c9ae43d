import { eq, sql } from "drizzle-orm"
import { Effect, type Scope } from "effect"
import { Change, notifyChange } from "./change-notices.ts"
import { type Db, DrizzleDatabase, type DrizzleDatabaseShape } from "./drizzle-database.ts"
import { jiraSiteLimits } from "./schema.ts"

interface Limits {
  readonly pausedUntil: number
  readonly pauseReason: string | null
  readonly slowUntil: number
}

type Row = typeof jiraSiteLimits.$inferSelect

const limitsOf = (row: Row): Limits => ({
  pausedUntil: row.pausedUntil?.getTime() ?? 0,
  pauseReason: row.pauseReason,
  slowUntil: row.slowUntil?.getTime() ?? 0
})

/**
 * Jira's limits per site shared by every instance (adr/0024), structurally the `SiteLimitsShape` of
 * `@sciple/jira-cloud`: a pause or slow-down is written to `jira_site_limits` with a `jira-site:<site>` notice
 * in the same transaction; every instance keeps the rows in memory and rereads a site when it hears its notice
 * (all of them when notices may have been missed). A site not paused in memory is checked against its row
 * before each Jira call (one primary-key read), so a call starting before the notice arrives still stops.
 * A database failure is logged and leaves each instance with what it knows: limits are advisory.
 * @internal not used by production code: for tests and test support
 */
export const makeSiteLimitsDrizzle = (
  database: DrizzleDatabaseShape
): Effect.Effect<
  {
    readonly pauseOf: (
      site: string,
      now: number
    ) => Effect.Effect<{ readonly until: number; readonly reason: string | null } | null>
    readonly slowUntil: (site: string, now: number) => Effect.Effect<number>
    readonly pause: (site: string, until: number, reason: string | null) => Effect.Effect<void>
    readonly slowDown: (site: string, until: number) => Effect.Effect<void>
  },
  never,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const known = new Map<string, Limits>()
    const remember = (site: string, limits: Limits) => {
      const current = known.get(site)
      known.set(site, {
        pausedUntil: Math.max(limits.pausedUntil, current?.pausedUntil ?? 0),
        pauseReason:
          limits.pausedUntil >= (current?.pausedUntil ?? 0) ? limits.pauseReason : (current?.pauseReason ?? null),
        slowUntil: Math.max(limits.slowUntil, current?.slowUntil ?? 0)
      })
    }
    const reread = (site: string | null) =>
      database
        .run((db) =>
          site === null
            ? db.select().from(jiraSiteLimits)
            : db.select().from(jiraSiteLimits).where(eq(jiraSiteLimits.site, site))
        )
        .pipe(
          Effect.flatMap((rows) =>
            Effect.sync(() => {
              for (const row of rows) remember(row.site, limitsOf(row))
            })
          ),
          Effect.catch((failure) => Effect.logWarning("Jira site limits unreadable", { reason: failure.reason }))
        )
    yield* reread(null)
    yield* database
      .notices((change) => {
        if (change._tag === "JiraSite") Effect.runFork(reread(change.site))
        else if (change._tag === "Everything") Effect.runFork(reread(null))
      })
      .pipe(Effect.catch((error) => Effect.logWarning("Jira site limits will not hear other instances", { error })))

    const write = (site: string, limits: Limits, body: (tx: Db) => Promise<unknown>) =>
      Effect.sync(() => remember(site, limits)).pipe(
        Effect.andThen(
          database.transaction<void, never>(async (tx) => {
            await body(tx)
            await notifyChange(tx, Change.jiraSite(site))
          })
        ),
        Effect.catch((failure) => Effect.logWarning("Jira site limits unwritable", { site, reason: failure.reason }))
      )

    const pausedIn = (site: string, now: number) => {
      const limits = known.get(site)
      return limits !== undefined && limits.pausedUntil > now
        ? { until: limits.pausedUntil, reason: limits.pauseReason }
        : null
    }

    return {
      pauseOf: (site, now) =>
        Effect.suspend(() => {
          const paused = pausedIn(site, now)
          if (paused !== null) return Effect.succeed(paused)
          // Not paused here: the row itself, since another instance's notice may still be on its way (adr/0024).
          return database
            .run((db) =>
              db
                .select({ pausedUntil: jiraSiteLimits.pausedUntil, pauseReason: jiraSiteLimits.pauseReason })
                .from(jiraSiteLimits)
                .where(eq(jiraSiteLimits.site, site))
            )
            .pipe(
              Effect.map((rows) => {
                const row = rows[0]
                if (row?.pausedUntil != null && row.pausedUntil.getTime() > now) {
                  remember(site, { pausedUntil: row.pausedUntil.getTime(), pauseReason: row.pauseReason, slowUntil: 0 })
                }
                return pausedIn(site, now)
              }),
              Effect.catch((failure) =>
                Effect.logWarning("Jira site limits unreadable", { site, reason: failure.reason }).pipe(Effect.as(null))
              )
            )
        }),
      slowUntil: (site, now) =>
        Effect.sync(() => {
          const until = known.get(site)?.slowUntil ?? 0
          return until > now ? until : 0
        }),
      pause: (site, until, reason) =>
        write(site, { pausedUntil: until, pauseReason: reason, slowUntil: 0 }, (tx) =>
          tx
            .insert(jiraSiteLimits)
            .values({ site, pausedUntil: new Date(until), pauseReason: reason })
            .onConflictDoUpdate({
              target: jiraSiteLimits.site,
              // The later of two pauses wins, with its reason.
              set: {
                pausedUntil: sql`greatest(${jiraSiteLimits.pausedUntil}, excluded.paused_until)`,
                pauseReason: sql`case when ${jiraSiteLimits.pausedUntil} > excluded.paused_until then ${jiraSiteLimits.pauseReason} else excluded.pause_reason end`
              }
            })
        ),
      slowDown: (site, until) =>
        write(site, { pausedUntil: 0, pauseReason: null, slowUntil: until }, (tx) =>
          tx
            .insert(jiraSiteLimits)
            .values({ site, slowUntil: new Date(until) })
            .onConflictDoUpdate({
              target: jiraSiteLimits.site,
              set: { slowUntil: sql`greatest(${jiraSiteLimits.slowUntil}, excluded.slow_until)` }
            })
        )
    }
  })

/** The shared limits over the layer's database, listening for as long as the scope lasts. */
export const siteLimitsDrizzle = Effect.gen(function* () {
  return yield* makeSiteLimitsDrizzle(yield* DrizzleDatabase)
})
