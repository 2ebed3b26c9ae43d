/**
 * Store benchmark: `pnpm exec tsx packages/drizzle-postgres/bench/store.bench.ts` (with DATABASE_URL set
 * to also measure PostgreSQL). Prints PGlite's cold and warm open (time, RSS) and the p50 of a config
 * read and of an audited config write on each driver. Each open is measured in a process of its own.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { ConfigStore, JiraConfig } from "@sciple/jira-core"
import { Effect, Layer, Schema } from "effect"
import { ConfigStoreDrizzle } from "../src/config-store.drizzle.ts"
import { layerPglite } from "../src/drizzle-database.pglite.ts"
import { DrizzleDatabase } from "../src/drizzle-database.ts"
import { openTestPostgres } from "../src/testing/index.ts"
import { aConfig, aCredential, anAudit, freshWorkspace } from "../test/support/fixtures.ts"

const ITERATIONS = 300
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`

const percentile = (samples: ReadonlyArray<number>, p: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** In a child process: opens the data folder and reports how long it took and the RSS after. */
const openOnce = async (dataDir: string) => {
  const started = performance.now()
  await Effect.runPromise(
    Layer.build(layerPglite({ dataDir })).pipe(
      Effect.andThen(
        Effect.sync(() => {
          const report = { ms: performance.now() - started, rss: process.memoryUsage().rss }
          process.stdout.write(`${JSON.stringify(report)}\n`)
        })
      ),
      Effect.scoped
    )
  )
}

const OpenReport = Schema.Struct({ ms: Schema.Number, rss: Schema.Number })

const measureOpen = (dataDir: string) => {
  const script = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, [...process.execArgv, script, "open", dataDir], { encoding: "utf8" })
  if (child.status !== 0) throw new Error(`open failed: ${child.stderr}`)
  const line = child.stdout.trim().split("\n").pop() ?? "{}"
  return Schema.decodeUnknownSync(OpenReport)(JSON.parse(line))
}

/** p50 / p95 of reading the configuration and of an audited update, through ConfigStoreDrizzle. */
const latencies = Effect.gen(function* () {
  const store = yield* ConfigStore
  const { workspaceId, userId } = yield* freshWorkspace
  const credential = aCredential(workspaceId, userId)
  yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
  let config = aConfig(credential)
  yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
  const reads: Array<number> = []
  const writes: Array<number> = []
  for (let i = 0; i < ITERATIONS; i++) {
    const readStart = performance.now()
    yield* store.getConfig(workspaceId)
    reads.push(performance.now() - readStart)

    const next = new JiraConfig({ ...config, name: `Jira ${i}`, version: config.version + 1 })
    const writeStart = performance.now()
    yield* store.updateConfig(next, config.version, anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED"))
    writes.push(performance.now() - writeStart)
    config = next
  }
  return {
    read: { p50: percentile(reads, 50), p95: percentile(reads, 95) },
    write: { p50: percentile(writes, 50), p95: percentile(writes, 95) }
  }
})

const storesOver = (database: Layer.Layer<DrizzleDatabase, unknown>) =>
  ConfigStoreDrizzle.pipe(Layer.provideMerge(database))

const main = async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "drizzle-postgres-bench-"))
  try {
    const dataDir = path.join(root, "data")
    const cold = measureOpen(dataDir)
    const warm = measureOpen(dataDir)
    console.log(`PGlite cold open (new data folder): ${ms(cold.ms)}, RSS ${mb(cold.rss)}`)
    console.log(`PGlite warm open (existing folder): ${ms(warm.ms)}, RSS ${mb(warm.rss)}`)

    const pglite = await Effect.runPromise(Effect.provide(latencies, storesOver(layerPglite({ dataDir }))))
    console.log(
      `PGlite     config read p50 ${ms(pglite.read.p50)} (p95 ${ms(pglite.read.p95)}), ` +
        `audited write p50 ${ms(pglite.write.p50)} (p95 ${ms(pglite.write.p95)})`
    )

    const url = process.env.DATABASE_URL
    if (url) {
      const postgres = await Effect.runPromise(
        Effect.provide(latencies, storesOver(Layer.effect(DrizzleDatabase, openTestPostgres(url))))
      )
      console.log(
        `PostgreSQL config read p50 ${ms(postgres.read.p50)} (p95 ${ms(postgres.read.p95)}), ` +
          `audited write p50 ${ms(postgres.write.p50)} (p95 ${ms(postgres.write.p95)})`
      )
    } else {
      console.log("PostgreSQL: not measured (set DATABASE_URL to a server where a scratch database may be created)")
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

if (process.argv[2] === "open" && process.argv[3] !== undefined) await openOnce(process.argv[3])
else await main()
