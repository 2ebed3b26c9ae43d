import type * as EffectVitest from "@effect/vitest"
import { describe, expect, layer } from "@effect/vitest"
import { DrizzleDatabase, makeJiraAnswersDrizzle } from "@sciple/drizzle-postgres"
import { selectRows, testDatabaseLayer, testDriver } from "@sciple/drizzle-postgres/testing"
import { makeSharedTierMemory, type SharedTierShape } from "@sciple/issue-source-cache"
import { sql } from "drizzle-orm"
import { Effect } from "effect"

/**
 * The shared tier's contract (adr/0024), held by the in-memory tier and by the PostgreSQL/PGlite one (on
 * whichever database the run uses): answers with their times, never a staler one over a fresher, claims that
 * exclude others until released or lapsed.
 */
const T0 = Date.parse("2026-12-02T12:00:00.000Z")
const answer = (fetchedAt: number, value: unknown = { count: fetchedAt }) => ({
  value,
  fetchedAt,
  expiresAt: fetchedAt + 60_000,
  staleUntil: fetchedAt + 660_000
})

const contract = (
  it: EffectVitest.Vitest.MethodsNonLive<DrizzleDatabase>,
  name: string,
  make: Effect.Effect<SharedTierShape, never, DrizzleDatabase>
) =>
  describe(`SharedTier contract: ${name}`, () => {
    it.effect("keeps an answer with its times, until its staleness runs out", () =>
      Effect.gen(function* () {
        const tier = yield* make
        const key = `count\u001f${crypto.randomUUID()}`
        expect(yield* tier.get(key, T0)).toBeNull()
        yield* tier.put(key, answer(T0, { issues: [{ key: "A-1", updated: "2026-12-01T00:00:00.000Z" }] }))
        expect(yield* tier.get(key, T0 + 61_000)).toEqual(
          answer(T0, { issues: [{ key: "A-1", updated: "2026-12-01T00:00:00.000Z" }] })
        )
        expect(yield* tier.get(key, T0 + 660_000)).toBeNull()
      })
    )

    it.effect("never replaces a fresher answer with an older one", () =>
      Effect.gen(function* () {
        const tier = yield* make
        const key = `count\u001f${crypto.randomUUID()}`
        yield* tier.put(key, answer(T0 + 1_000))
        yield* tier.put(key, answer(T0))
        expect((yield* tier.get(key, T0))?.fetchedAt).toBe(T0 + 1_000)
        yield* tier.put(key, answer(T0 + 2_000))
        expect((yield* tier.get(key, T0))?.fetchedAt).toBe(T0 + 2_000)
      })
    )

    it.effect("keys of any length, a long JQL included, never mixed up", () =>
      Effect.gen(function* () {
        const tier = yield* make
        const long = `search\u001f${"project = LONG AND ".repeat(600)}${crypto.randomUUID()}`
        yield* tier.put(long, answer(T0, "long"))
        yield* tier.put(`${long}x`, answer(T0, "other"))
        expect((yield* tier.get(long, T0))?.value).toBe("long")
        expect((yield* tier.get(`${long}x`, T0))?.value).toBe("other")
      })
    )

    it.effect("a claim excludes other holders until released or lapsed; only its holder releases it", () =>
      Effect.gen(function* () {
        const tier = yield* make
        const key = `count\u001f${crypto.randomUUID()}`
        expect(yield* tier.claim(key, "a", T0, 5_000)).toBe(true)
        expect(yield* tier.claim(key, "b", T0 + 1_000, 5_000)).toBe(false)
        expect(yield* tier.claim(key, "a", T0 + 1_000, 5_000)).toBe(true)
        yield* tier.release(key, "b", T0 + 1_000)
        expect(yield* tier.claim(key, "b", T0 + 2_000, 5_000)).toBe(false)
        yield* tier.release(key, "a", T0 + 2_000)
        expect(yield* tier.claim(key, "b", T0 + 2_000, 5_000)).toBe(true)
        // b died holding it: the claim lapses at T0 + 7 s.
        expect(yield* tier.claim(key, "c", T0 + 6_999, 5_000)).toBe(false)
        expect(yield* tier.claim(key, "c", T0 + 7_000, 5_000)).toBe(true)
      })
    )

    it.effect("a claim released until its answer goes stale stays held until then, past its own hold", () =>
      Effect.gen(function* () {
        const tier = yield* make
        const key = `count\u001f${crypto.randomUUID()}`
        expect(yield* tier.claim(key, "a", T0, 5_000)).toBe(true)
        yield* tier.put(key, answer(T0 + 1_000))
        yield* tier.release(key, "a", T0 + 61_000)
        expect(yield* tier.claim(key, "b", T0 + 30_000, 5_000)).toBe(false)
        expect(yield* tier.claim(key, "b", T0 + 60_999, 5_000)).toBe(false)
        expect(yield* tier.claim(key, "b", T0 + 61_000, 5_000)).toBe(true)
      })
    )
  })

layer(testDatabaseLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
  contract(
    it,
    "in memory",
    Effect.sync(() => makeSharedTierMemory().tier)
  )
  contract(
    it,
    `on ${testDriver()}`,
    DrizzleDatabase.use((db) => Effect.succeed(makeJiraAnswersDrizzle(db)))
  )

  it.effect(`on ${testDriver()}: UNLOGGED tables, bounded in rows with the oldest evicted first`, () =>
    Effect.gen(function* () {
      const tables = yield* selectRows(
        sql`select relname, relpersistence from pg_class where relname in ('jira_answers', 'jira_answer_claims', 'jira_site_limits') order by relname`
      )
      expect(tables).toEqual([
        { relname: "jira_answer_claims", relpersistence: "u" },
        { relname: "jira_answers", relpersistence: "u" },
        { relname: "jira_site_limits", relpersistence: "u" }
      ])
      const tier = makeJiraAnswersDrizzle(yield* DrizzleDatabase, { maxRows: 3, evictEvery: 1 })
      const keys = Array.from({ length: 6 }, (_, i) => `bounded\u001f${i}`)
      // The first answer's claim is kept until it goes stale; evicted, the answer takes its claim with it.
      expect(yield* tier.claim(keys[0]!, "a", T0, 5_000)).toBe(true)
      yield* tier.release(keys[0]!, "a", T0 + 60_000)
      for (const [i, key] of keys.entries()) yield* tier.put(key, answer(T0 + i * 1_000))
      expect(yield* tier.size).toBeLessThanOrEqual(3)
      expect(yield* tier.get(keys[5]!, T0)).not.toBeNull()
      expect(yield* tier.get(keys[0]!, T0)).toBeNull()
      expect(yield* tier.claim(keys[0]!, "b", T0 + 10_000, 5_000)).toBe(true)
    })
  )
})
