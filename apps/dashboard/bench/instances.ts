import { randomBytes } from "node:crypto"
import { mkdir, mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DrizzleDatabase, layerPostgres } from "@sciple/drizzle-postgres"
import { ManagedRuntime } from "effect"
import { type Dashboard, signIn } from "./dashboard-client.ts"
import { startJira } from "./jira.ts"
import { cpuMs } from "./load.ts"
import { APP_DIR, nodeFlagsOf, type Server, startServer } from "./processes.ts"
import { statsOf } from "./stats.ts"

/**
 * `pnpm bench:instances`: 1, 2 and 4 app processes on one PostgreSQL database behind a round-robin client, in
 * front of the simulator (150 ms per answer): Jira calls for 200 concurrent cold requests of one page, a view
 * just past the TTL (time to answer, calls behind it), and a 30 s quota pause injected at the simulator (calls
 * by all instances during it). Writes .artifacts/bench/instances.md and prints it.
 */
const LATENCY_MS = 150
const TTL_SECONDS = 10
/** The app's store and page caches (`CACHE_TTL_MS` in src/caching/ttl-cache.ts). */
const STORE_CACHE_MS = 5_000
const STALE_ROUNDS = process.argv.includes("--quick") ? 5 : 10
const ADMIN = { email: "admin@demo.test", password: "demo-password" }
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const log = (line: string) => console.error(`[instances] ${line}`)

const onAdmin = async (statement: string) => {
  const runtime = ManagedRuntime.make(layerPostgres(ADMIN_URL, { migrate: false, maxConnections: 1 }))
  try {
    await runtime.runPromise(DrizzleDatabase.use((db) => db.run((d) => d.execute(statement))))
  } finally {
    await runtime.dispose()
  }
}

const name = `bench_${randomBytes(6).toString("hex")}`
const url = new URL(ADMIN_URL)
url.pathname = `/${name}`
await onAdmin(`CREATE DATABASE ${name}`)
const jira = await startJira(LATENCY_MS)
const dataDir = await mkdtemp(join(tmpdir(), "sciple-bench-instances-"))
const servers: Array<Server> = []
process.on("uncaughtException", (error) => {
  log(`uncaught: ${String(error)}`)
  for (const server of servers) log(`instance ${server.url}:\n${server.errorTail()}`)
  process.exit(1)
})
const lines: Array<string> = []
try {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const key of ["PUBLIC_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD", "SECRET_STORE", "PORT", "HOST"]) delete env[key]
  Object.assign(env, {
    DATABASE_URL: url.toString(),
    DATA_DIR: join(dataDir, "data"),
    BENCH_JIRA_URL: jira.url,
    JIRA_CACHE_TTL_SECONDS: String(TTL_SECONDS),
    JIRA_MAX_STALE_SECONDS: "600",
    LOG_LEVEL: "Error"
  })
  // The production flags on the command line, as `pnpm start` passes them (NODE_OPTIONS refuses --liftoff-only).
  const nodeArgs = nodeFlagsOf(process.env.npm_package_config_nodeFlags)
  // One after another: the first runs the migrations and seeds the demo workspace.
  for (let i = 0; i < 4; i++) {
    servers.push(
      await startServer({ script: "dist/bench-app.js", env, readyPath: "/readyz", timeoutMs: 120_000, nodeArgs })
    )
  }
  const clients: Array<Dashboard> = []
  for (const server of servers) clients.push(await signIn(server.url, ADMIN.email, ADMIN.password))
  const admin = clients[0]!
  const projectKey = (() => {
    const counts = new Map<string, number>()
    for (const issue of jira.sim.data.issues) counts.set(issue.projectKey, (counts.get(issue.projectKey) ?? 0) + 1)
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "DEMO"
  })()
  let unique = 0
  // A query string of its own per view: the page cache (keyed by URL) never answers, the Jira cache does.
  const view = (client: Dashboard, path: string) =>
    client.get(`${path}${path.includes("?") ? "&" : "?"}v=${++unique}`).catch((error: unknown) => {
      log(`request failed: ${String(error)}`)
      return { status: 0, html: "", ms: Number.NaN, sentAt: 0, doneAt: 0 }
    })
  /** A new configuration version: every Jira answer cached so far is for another key. */
  const invalidate = async () => {
    await admin.invalidate()
    // Let every instance hear the change notice (its configuration cache drops the old version).
    await sleep(300)
  }

  // Warm-ups, not measured: each instance's first views of each page load and compile their code paths, open
  // its database connections and make the calls of a first view (the account check); the figures below are
  // then a cold page's, not a start-up's.
  for (let round = 0; round < 2; round++) {
    await invalidate()
    for (const c of clients) {
      await view(c, "/")
      await view(c, `/projects/${projectKey}`)
    }
  }

  lines.push(
    "| instances | page | Jira calls for 200 concurrent cold requests (target: one request's) | all answered with content | p50 ms | p95 ms |"
  )
  lines.push("|---|---|---|---|---|---|")
  for (const count of [1, 2, 4]) {
    for (const [page, path, marker, target] of [
      ["home", "/", "Open issues", 3],
      ["project", `/projects/${projectKey}`, `<code>${projectKey}</code>`, 5]
    ] as const) {
      await invalidate()
      jira.reset()
      log(`${count} instance(s), 200 concurrent cold requests of ${path}`)
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => view(clients[i % count]!, path)))
      const ok = answers.every((a) => a.status === 200 && a.html.includes(marker) && !a.html.includes("error-panel"))
      const ms = statsOf(answers.map((a) => a.ms).filter((v) => Number.isFinite(v)))
      // A miss says which calls went out, and when: a repeated one is a single flight that let a call through.
      if (jira.calls() > target) for (const call of jira.describeCalls()) log(`  Jira call ${call}`)
      lines.push(
        `| ${count} | ${page} | ${jira.calls()} ${jira.calls() <= target ? "PASS" : "**FAIL**"} | ${ok ? "yes" : "NO"} | ${ms.p50.toFixed(0)} | ${ms.p95.toFixed(0)} |`
      )
    }
  }

  log("views just past the TTL, against warm views under the same store-cache state")
  const client = clients[1]!
  const pid = servers[1]!.pid
  await invalidate()
  await view(client, "/")
  const warm: Array<number> = []
  const stale: Array<number> = []
  const cpu = { warm: 0, stale: 0 }
  const behind: Array<number> = []
  let warmCalls = 0
  // Every view comes 5.5 s after the one before: past the app's 5 s store caches (sign-in, configuration,
  // credential) for warm and stale alike; warm views land within the TTL, stale ones just past it.
  for (let i = 0; i < STALE_ROUNDS * 2; i++) {
    await sleep(STORE_CACHE_MS + 500)
    const kind = i % 2 === 0 ? "warm" : "stale"
    jira.reset()
    const cpuBefore = await cpuMs(pid)
    const answer = await view(client, "/")
    cpu[kind] += (await cpuMs(pid)) - cpuBefore
    const before = jira.calls()
    if (kind === "warm") {
      warm.push(answer.ms)
      warmCalls += before
      continue
    }
    stale.push(answer.ms)
    await sleep(LATENCY_MS * 4)
    behind.push(jira.calls())
    if (before !== 0) log(`a stale view waited for ${before} Jira call(s)`)
  }
  const warmStats = statsOf(warm)
  const staleStats = statsOf(stale)
  const ratio = staleStats.p50 / warmStats.p50
  lines.push("")
  lines.push(
    `| view of the home page (${STALE_ROUNDS} of each, interleaved, ${STORE_CACHE_MS / 1000 + 0.5} s apart) | p50 ms | p95 ms | app CPU ms per view | Jira calls behind each view |`
  )
  lines.push("|---|---|---|---|---|")
  lines.push(
    `| warm (Jira answers fresh, store caches expired) | ${warmStats.p50.toFixed(1)} | ${warmStats.p95.toFixed(1)} | ${(cpu.warm / warm.length).toFixed(1)} | ${warmCalls} in all |`
  )
  lines.push(
    `| just past the TTL (${TTL_SECONDS} s), within the maximum staleness | ${staleStats.p50.toFixed(1)} | ${staleStats.p95.toFixed(1)} | ${(cpu.stale / stale.length).toFixed(1)} | ${[...new Set(behind)].join(", ")} |`
  )
  lines.push(
    `| ratio of p50s (target ≤ 3) | ${ratio.toFixed(2)} ${ratio <= 3 ? "PASS" : "**FAIL**"} | | | one refresh (3 calls): ${behind.every((b) => b === 3) ? "PASS" : "**FAIL**"} |`
  )

  log("a 30 s quota pause injected at the simulator, 4 instances")
  await invalidate()
  jira.reset()
  const reset = new Date(Date.now() + 30_000)
  jira.sim.faults.set({
    latencyMs: LATENCY_MS,
    next: [
      {
        kind: "rateLimit",
        reason: "jira-quota-tenant-based",
        retryAfter: 30,
        reset: reset.toISOString(),
        times: Number.POSITIVE_INFINITY
      }
    ]
  })
  const statuses = new Map<number, number>()
  const pending: Array<Promise<void>> = []
  // A view every 250 ms on each instance, not waiting for the previous ones (a view may wait out the pause).
  const pauseEnd = reset.getTime() - jira.latencyMs
  while (Date.now() < pauseEnd - 250) {
    for (const c of clients) {
      pending.push(
        view(c, "/").then((a) => {
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1)
        })
      )
    }
    await sleep(250)
  }
  await sleep(Math.max(0, pauseEnd - Date.now()))
  // Calls that arrived before the reset, against the first refusal's answer (calls already in flight then were sent before it).
  const calls = jira.timed().filter((c) => c.receivedAt < performance.now())
  const firstRefusal = Math.min(...calls.map((c) => c.answeredAt))
  const after = calls.filter((c) => c.receivedAt > firstRefusal).length
  for (const c of calls)
    log(`call ${c.path}: in ${(c.receivedAt - firstRefusal).toFixed(1)} ms after the first refusal`)
  const views = pending.length
  jira.sim.faults.set({ latencyMs: LATENCY_MS })
  await Promise.all(pending)
  lines.push("")
  lines.push("| 30 s quota pause, 4 instances | figure |")
  lines.push("|---|---|")
  lines.push(`| page views during the pause (every 250 ms on each instance) | ${views} |`)
  lines.push(`| Jira calls before the first refusal came back (already in flight) | ${calls.length - after} |`)
  lines.push(
    `| Jira calls by all instances after the first refusal, until the reset (target 0) | ${after} ${after === 0 ? "PASS" : "**FAIL**"} |`
  )
  lines.push(`| HTTP statuses | ${[...statuses.entries()].map(([s, n]) => `${s}: ${n}`).join(", ")} |`)
} catch (error) {
  lines.push(`The run failed: ${String(error)}`)
  for (const server of servers) log(`instance ${server.url}:\n${server.errorTail()}`)
} finally {
  await Promise.all(servers.map((s) => s.stop()))
  await jira.close()
  await onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
}
const report = lines.join("\n")
const out = join(APP_DIR, ".artifacts", "bench")
await mkdir(out, { recursive: true })
await writeFile(join(out, "instances.md"), `${report}\n`)
console.log(report)
process.exit(0)
