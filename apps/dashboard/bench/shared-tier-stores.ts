import { randomBytes } from "node:crypto"
import { mkdtemp } from "node:fs/promises"
import { connect, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  DrizzleDatabase,
  layerPglite,
  layerPostgres,
  makeJiraAnswersDrizzle,
  makeSiteLimitsDrizzle
} from "@sciple/drizzle-postgres"
import { Effect, ManagedRuntime } from "effect"
import { statsOf } from "./stats.ts"

/**
 * `pnpm bench:shared-tier`: what the shared tier's reads and writes cost on PostgreSQL and on PGlite (the
 * product's code), against Redis (a bare client here, for the comparison only: the product does not use it),
 * with a Jira answer of the size of a 100-issue page. Prints a Markdown table. Redis at REDIS_URL's host and
 * port (default 127.0.0.1:6379); a store that cannot be reached is reported as such.
 */
const OPS = process.argv.includes("--quick") ? 300 : 1_000
const CONCURRENCY = 50
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const REDIS = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")

const issue = (i: number) => ({
  key: `DEMO-${i}`,
  summary: `An issue summary of a typical length, number ${i}`,
  status: { name: "In Progress", category: "indeterminate" },
  assignee: { accountId: `acc-${i % 7}`, displayName: "Some Person", avatarUrl: "https://avatar.example/48.png" },
  priority: { name: "Medium", iconUrl: "https://acme.atlassian.net/images/icons/priorities/medium.svg" },
  updated: "2026-12-01T10:00:00.000Z"
})
const VALUE = { issues: Array.from({ length: 100 }, (_, i) => issue(i)), nextPageToken: "token" }
const VALUE_BYTES = JSON.stringify(VALUE).length

interface Store {
  readonly get: (key: string) => Promise<unknown>
  readonly put: (key: string, value: unknown, now: number) => Promise<void>
}

/** A minimal RESP client: commands pipelined on one connection, replies matched in order. */
const redisStore = async (): Promise<Store & { close: () => void }> => {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(Number(REDIS.port || 6379), REDIS.hostname, () => resolve(s))
    s.once("error", reject)
  })
  const waiting: Array<(reply: string | null) => void> = []
  let buffer = Buffer.alloc(0)
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk])
    while (buffer.length > 0) {
      const end = buffer.indexOf("\r\n")
      if (end < 0) return
      const head = buffer.subarray(0, end).toString()
      if (head[0] === "$") {
        const length = Number(head.slice(1))
        if (length < 0) {
          buffer = buffer.subarray(end + 2)
          waiting.shift()?.(null)
          continue
        }
        if (buffer.length < end + 2 + length + 2) return
        const body = buffer.subarray(end + 2, end + 2 + length).toString()
        buffer = buffer.subarray(end + 2 + length + 2)
        waiting.shift()?.(body)
      } else {
        buffer = buffer.subarray(end + 2)
        if (head[0] === "-") throw new Error(`redis: ${head}`)
        waiting.shift()?.(head.slice(1))
      }
    }
  })
  const command = (...args: ReadonlyArray<string>) =>
    new Promise<string | null>((resolve) => {
      waiting.push(resolve)
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`)
    })
  return {
    get: async (key) => {
      const raw = await command("GET", key)
      return raw === null ? null : JSON.parse(raw)
    },
    put: async (key, value, now) => {
      const answer = { value, fetchedAt: now, expiresAt: now + 60_000, staleUntil: now + 660_000 }
      await command("SET", key, JSON.stringify(answer), "PX", "660000")
    },
    close: () => socket.destroy()
  }
}

const drizzleStore = (runtime: ManagedRuntime.ManagedRuntime<DrizzleDatabase, unknown>): Promise<Store> =>
  runtime.runPromise(
    DrizzleDatabase.use((database) =>
      Effect.sync((): Store => {
        const tier = makeJiraAnswersDrizzle(database)
        return {
          get: (key) => runtime.runPromise(tier.get(key, Date.now())),
          put: (key, value, now) =>
            runtime.runPromise(
              tier.put(key, { value, fetchedAt: now, expiresAt: now + 60_000, staleUntil: now + 660_000 })
            )
        }
      })
    )
  )

const measure = async (label: string, store: Store) => {
  const prefix = `bench:${randomBytes(4).toString("hex")}:`
  const put: Array<number> = []
  const get: Array<number> = []
  for (let i = 0; i < OPS; i++) {
    const t = performance.now()
    await store.put(`${prefix}${i}`, VALUE, Date.now())
    put.push(performance.now() - t)
  }
  for (let i = 0; i < OPS; i++) {
    const t = performance.now()
    await store.get(`${prefix}${i}`)
    get.push(performance.now() - t)
  }
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < OPS) await store.get(`${prefix}${next++}`)
    })
  )
  const rate = OPS / ((performance.now() - started) / 1000)
  const p = (values: Array<number>) => statsOf(values)
  return `| ${label} | ${p(put).p50.toFixed(2)} / ${p(put).p95.toFixed(2)} | ${p(get).p50.toFixed(2)} / ${p(get).p95.toFixed(2)} | ${rate.toFixed(0)} |`
}

/** The shared pause check made before each Jira call while this instance knows of no pause (adr/0024). */
const measurePauseCheck = (runtime: ManagedRuntime.ManagedRuntime<DrizzleDatabase, unknown>, label: string) =>
  runtime.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const limits = yield* makeSiteLimitsDrizzle(yield* DrizzleDatabase)
        const site = `https://bench-${randomBytes(4).toString("hex")}.atlassian.net`
        const took: Array<number> = []
        for (let i = 0; i < OPS; i++) {
          const t = performance.now()
          yield* limits.pauseOf(site, Date.now())
          took.push(performance.now() - t)
        }
        const p = statsOf(took)
        return `| ${label} | ${p.p50.toFixed(3)} | ${p.p95.toFixed(3)} |`
      })
    )
  )

const pauseRows: Array<string> = []
const rows: Array<string> = []
const attempt = async (label: string, body: () => Promise<string>) => {
  console.error(`[shared-tier] ${label}`)
  rows.push(await body().catch((error: unknown) => `| ${label} | unavailable: ${String(error).slice(0, 80)} | | |`))
}

/** Runs a statement on the server's own database (creating and dropping the benchmark's). */
const onAdmin = async (statement: string) => {
  const admin = ManagedRuntime.make(layerPostgres(PG_URL, { migrate: false, maxConnections: 1 }))
  try {
    await admin.runPromise(DrizzleDatabase.use((db) => db.run((d) => d.execute(statement))))
  } finally {
    await admin.dispose()
  }
}

await attempt("PostgreSQL (UNLOGGED table)", async () => {
  // A database of its own, migrated here: the server's others may hold another migration set.
  const name = `bench_${randomBytes(6).toString("hex")}`
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  await onAdmin(`CREATE DATABASE ${name}`)
  const runtime = ManagedRuntime.make(layerPostgres(url.toString()))
  try {
    pauseRows.push(await measurePauseCheck(runtime, "PostgreSQL"))
    return await measure("PostgreSQL (UNLOGGED table)", await drizzleStore(runtime))
  } finally {
    await runtime.dispose()
    await onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
  }
})
await attempt("PGlite (same code, in process)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sciple-bench-tier-"))
  const runtime = ManagedRuntime.make(layerPglite({ dataDir: join(dir, "data") }))
  try {
    pauseRows.push(await measurePauseCheck(runtime, "PGlite"))
    return await measure("PGlite (same code, in process)", await drizzleStore(runtime))
  } finally {
    await runtime.dispose()
  }
})
await attempt("Redis (GET / SET PX)", async () => {
  const redis = await redisStore()
  try {
    return await measure("Redis (GET / SET PX)", redis)
  } finally {
    redis.close()
  }
})

console.log(
  [
    `Answer of ${(VALUE_BYTES / 1024).toFixed(0)} KB (a 100-issue page); ${OPS} writes, ${OPS} reads one at a time, then ${OPS} reads ${CONCURRENCY} at a time.`,
    "",
    "| store | write p50 / p95 ms | read p50 / p95 ms | reads/s at 50 concurrent |",
    "|---|---|---|---|",
    ...rows,
    "",
    `The shared pause check before a Jira call on a site this instance knows no pause of (one primary-key read; ${OPS} in a row):`,
    "",
    "| store | p50 ms | p95 ms |",
    "|---|---|---|",
    ...pauseRows
  ].join("\n")
)
process.exit(0)
