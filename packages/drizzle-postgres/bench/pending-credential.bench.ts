/**
 * What the two-phase credential create (adr/0028) adds on the database: `pnpm exec tsx --conditions=@sciple/source
 * packages/drizzle-postgres/bench/pending-credential.bench.ts` (with DATABASE_URL set to also measure PostgreSQL).
 * Over 200 creates each: the p50 of phase 1 (recording the pending secret ref, its own transaction), of phase 3
 * (the row, its audit event and the record's removal), and of the single-transaction create of before (no record).
 */
import { ConfigStore, PendingCredential, SecretRef } from "@sciple/jira-core"
import { Effect, Layer } from "effect"
import { ConfigStoreDrizzle } from "../src/config-store.drizzle.ts"
import { DrizzleDatabase } from "../src/drizzle-database.ts"
import { openTestPglite, openTestPostgres } from "../src/testing/test-database.ts"
import { aCredential, anAudit, freshWorkspace } from "../test/support/fixtures.ts"

const CREATES = 200
const WARM_UP = 20

const p50 = (samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(2)} ms`

const timed = <A, E, R>(samples: Array<number>, effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const started = performance.now()
    return Effect.tap(effect, () => Effect.sync(() => samples.push(performance.now() - started)))
  })

const measure = Effect.gen(function* () {
  const store = yield* ConfigStore
  const { workspaceId, userId } = yield* freshWorkspace
  const record: Array<number> = []
  const write: Array<number> = []
  const before: Array<number> = []
  // Alternating the two shapes, so drift in the machine's load hits both alike.
  for (let i = 0; i < CREATES + WARM_UP; i++) {
    const warm = i < WARM_UP
    const twoPhase = aCredential(workspaceId, userId)
    const pending = new PendingCredential({
      workspaceId,
      credentialId: twoPhase.id,
      secretRef: SecretRef.make(`bench/${twoPhase.id}`),
      createdAt: twoPhase.createdAt
    })
    yield* timed(warm ? [] : record, store.recordPendingCredential(pending))
    const audit = anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: twoPhase.id })
    yield* timed(warm ? [] : write, store.createCredential(twoPhase, audit))
    const single = aCredential(workspaceId, userId)
    const singleAudit = anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: single.id })
    yield* timed(warm ? [] : before, store.createCredential(single, singleAudit))
  }
  return { record: p50(record), write: p50(write), before: p50(before) }
})

const report = async (name: string, database: Layer.Layer<DrizzleDatabase, unknown>) => {
  const figures = await Effect.runPromise(
    Effect.provide(measure, ConfigStoreDrizzle.pipe(Layer.provideMerge(database)))
  )
  const extra = figures.record + figures.write - figures.before
  console.log(
    `${name.padEnd(10)} p50 over ${CREATES}: phase 1 ${ms(figures.record)}, phase 3 ${ms(figures.write)}, ` +
      `one-transaction create before ${ms(figures.before)}: +${ms(extra)} a create`
  )
}

await report("PGlite", Layer.effect(DrizzleDatabase, openTestPglite))
const url = process.env.DATABASE_URL
if (url) await report("PostgreSQL", Layer.effect(DrizzleDatabase, openTestPostgres(url)))
else console.log("PostgreSQL: not measured (set DATABASE_URL to a server where a scratch database may be created)")
