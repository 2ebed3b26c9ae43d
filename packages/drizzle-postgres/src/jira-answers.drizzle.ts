import { createHash } from "node:crypto"
import type { StoreUnavailable } from "@sciple/jira-core"
import { and, eq, lt, sql } from "drizzle-orm"
import { Effect } from "effect"
import { type Db, DrizzleDatabase, type DrizzleDatabaseShape, toStoreUnavailable } from "./drizzle-database.ts"
import { jiraAnswerClaims, jiraAnswers } from "./schema.ts"

/** One stored Jira answer: its JSON and its times in epoch ms (the shape of the cache's shared tier). */
export interface StoredAnswer {
  readonly value: unknown
  readonly fetchedAt: number
  readonly expiresAt: number
  readonly staleUntil: number
}

export interface JiraAnswersOptions {
  /** Rows kept at most; beyond it the oldest fetched go (default 20,000). */
  readonly maxRows?: number
  /** Every how many writes of this instance eviction runs (default 100). */
  readonly evictEvery?: number
}

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex")

/**
 * The cache's shared tier and its cluster-wide single flight on PostgreSQL or PGlite (adr/0024): answers in
 * the UNLOGGED `jira_answers`, bounded in size; claims in `jira_answer_claims`, each lapsing after its hold so
 * a dead holder stalls no one, and released by marking them lapsed (rows past it are dropped by `evict`). Structurally the `SharedTierShape` of `@sciple/issue-source-cache`.
 */
export const makeJiraAnswersDrizzle = (database: DrizzleDatabaseShape, options: JiraAnswersOptions = {}) => {
  const maxRows = options.maxRows ?? 20_000
  const evictEvery = Math.max(1, options.evictEvery ?? 100)
  let writes = 0
  const run = <A>(body: (db: Db) => Promise<A>) => database.run(body).pipe(Effect.mapError(toStoreUnavailable))

  /**
   * Drops the rows past their staleness, then the oldest fetched beyond the bound with their claims (a claim
   * kept until its answer goes stale would otherwise hold off a fetch of an answer no longer there), then the
   * lapsed claims.
   */
  const evict = (now: number) =>
    run(async (db) => {
      await db.delete(jiraAnswers).where(lt(jiraAnswers.staleUntil, new Date(now)))
      await db.execute(
        sql`with evicted as (delete from ${jiraAnswers} where ${jiraAnswers.keyHash} in (select ${jiraAnswers.keyHash} from ${jiraAnswers} order by ${jiraAnswers.fetchedAt} desc offset ${maxRows}) returning ${jiraAnswers.keyHash}) delete from ${jiraAnswerClaims} where ${jiraAnswerClaims.keyHash} in (select key_hash from evicted)`
      )
      await db.delete(jiraAnswerClaims).where(lt(jiraAnswerClaims.expiresAt, new Date(now)))
    })

  return {
    get: (key: string, now: number): Effect.Effect<StoredAnswer | null, StoreUnavailable> =>
      run((db) =>
        db
          .select()
          .from(jiraAnswers)
          .where(eq(jiraAnswers.keyHash, hashOf(key)))
      ).pipe(
        Effect.map((rows) => {
          const row = rows[0]
          if (row === undefined || row.key !== key || row.staleUntil.getTime() <= now) return null
          return {
            value: row.value,
            fetchedAt: row.fetchedAt.getTime(),
            expiresAt: row.expiresAt.getTime(),
            staleUntil: row.staleUntil.getTime()
          }
        })
      ),
    put: (key: string, answer: StoredAnswer): Effect.Effect<void, StoreUnavailable> =>
      Effect.gen(function* () {
        const row = {
          keyHash: hashOf(key),
          key,
          value: answer.value,
          fetchedAt: new Date(answer.fetchedAt),
          expiresAt: new Date(answer.expiresAt),
          staleUntil: new Date(answer.staleUntil)
        }
        yield* run((db) =>
          db
            .insert(jiraAnswers)
            .values(row)
            .onConflictDoUpdate({
              target: jiraAnswers.keyHash,
              set: {
                key,
                value: row.value,
                fetchedAt: row.fetchedAt,
                expiresAt: row.expiresAt,
                staleUntil: row.staleUntil
              },
              // A slower fetch finishing later must not replace a fresher answer.
              setWhere: sql`${jiraAnswers.fetchedAt} <= excluded.fetched_at`
            })
        )
        writes++
        if (writes % evictEvery === 0) yield* evict(answer.fetchedAt)
      }),
    claim: (key: string, holder: string, now: number, holdMs: number): Effect.Effect<boolean, StoreUnavailable> =>
      run((db) =>
        db
          .insert(jiraAnswerClaims)
          .values({ keyHash: hashOf(key), holder, expiresAt: new Date(now + holdMs) })
          .onConflictDoUpdate({
            target: jiraAnswerClaims.keyHash,
            set: { holder, expiresAt: new Date(now + holdMs) },
            // Taken over only when lapsed, or renewed by its own holder.
            setWhere: sql`${jiraAnswerClaims.expiresAt} <= ${new Date(now).toISOString()}::timestamptz or ${jiraAnswerClaims.holder} = ${holder}`
          })
          .returning({ holder: jiraAnswerClaims.holder })
      ).pipe(Effect.map((rows) => rows.length === 1)),
    /**
     * Marks the holder's claim lapsed from `until` on (its answer's expiry, or now after a failure). An UPDATE,
     * not a DELETE: the row stays, so a claim is never absent while an answer is on its way to other readers.
     */
    release: (key: string, holder: string, until: number): Effect.Effect<void, StoreUnavailable> =>
      run((db) =>
        db
          .update(jiraAnswerClaims)
          .set({ expiresAt: new Date(until) })
          .where(and(eq(jiraAnswerClaims.keyHash, hashOf(key)), eq(jiraAnswerClaims.holder, holder)))
      ).pipe(Effect.asVoid),
    /** Rows stored now (tests and the benchmark). */
    size: run((db) => db.select({ n: sql<number>`count(*)::int` }).from(jiraAnswers)).pipe(
      Effect.map((rows) => Number(rows[0]?.n ?? 0))
    ),
    evict
  }
}

export type JiraAnswersDrizzle = ReturnType<typeof makeJiraAnswersDrizzle>

/** The tier over the layer's database. */
export const jiraAnswersDrizzle = (options: JiraAnswersOptions = {}) =>
  Effect.map(DrizzleDatabase, (database) => makeJiraAnswersDrizzle(database, options))
