import { type ChildProcess, spawn } from "node:child_process"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { openPostgres } from "@sciple/drizzle-postgres"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_SITE, startJiraSimulatorServer } from "@sciple/jira-simulator"
import { Effect } from "effect"

/**
 * `pnpm soak`: the dashboard in a process of its own, on PostgreSQL (or PGlite with --pglite), under a fixed
 * rate of mixed traffic for a while; reports failures, latency, the app's RSS over time and whether every
 * write left its audit event. Exits 1 when a check fails. See soak/README.md.
 */

const { values: args } = parseArgs({
  options: {
    pglite: { type: "boolean", default: false },
    duration: { type: "string", default: "60" },
    rate: { type: "string", default: "20" },
    latency: { type: "string", default: "150" },
    warmup: { type: "string", default: "10" }
  }
})
const DURATION_S = Number(args.duration)
const RATE = Number(args.rate)
const LATENCY_MS = Number(args.latency)
const WARMUP_S = Number(args.warmup)
const MAX_GROWTH = 0.2

const APP_DIR = fileURLToPath(new URL("..", import.meta.url))
const REPORT = join(APP_DIR, ".artifacts", "soak", "report.md")
const ADMIN = { email: "soak@soak.test", password: "soak-password-1" }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

// ---- the database: a fresh one on the PostgreSQL server, or a PGlite folder the app creates

const onServer = (url: string, statement: string) =>
  Effect.runPromise(
    Effect.scoped(
      openPostgres(url, { migrate: false, maxConnections: 1 }).pipe(
        Effect.flatMap((database) => database.run((db) => db.execute(statement)))
      )
    )
  )

const dataDir = await mkdtemp(join(tmpdir(), "sciple-soak-"))
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test"
const databaseName = `soak_${Date.now().toString(36)}`
let databaseUrl: string | null = null
if (!args.pglite) {
  await onServer(serverUrl, `create database "${databaseName}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${databaseName}`
  databaseUrl = url.toString()
}

// ---- the simulated Jira site, in this process, answering after LATENCY_MS

const sim = createJiraSimulator()
sim.faults.set({ latencyMs: LATENCY_MS })
const simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })

// ---- the app, in its own process

const childEnv: Record<string, string> = {}
for (const [name, value] of Object.entries(process.env))
  if (value !== undefined && name !== "DATABASE_URL") childEnv[name] = value
const child: ChildProcess = spawn(process.execPath, ["--conditions=@sciple/source", "--import", "tsx", "soak/app.ts"], {
  cwd: APP_DIR,
  env: {
    ...childEnv,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "Warn",
    SOAK_JIRA_URL: simulator.url,
    ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl })
  },
  stdio: ["ignore", "pipe", "pipe"]
})
const appLog: Array<string> = []
// The app logs in logfmt on stdout; the report keeps what an operator would be paged for, and anything on
// stderr but the start-up notice.
const keep = (chunk: Buffer, wanted: (line: string) => boolean) =>
  appLog.push(
    ...chunk
      .toString()
      .split("\n")
      .filter((line) => line !== "" && wanted(line))
  )
child.stdout?.on("data", (chunk: Buffer) => keep(chunk, (line) => /level=(WARN|ERROR|FATAL)/.test(line)))
child.stderr?.on("data", (chunk: Buffer) => keep(chunk, (line) => !line.startsWith("Created the administrator")))
const appUrl = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`the app did not start: ${appLog.join(" | ")}`)), 60_000)
  child.stdout?.on("data", (chunk: Buffer) => {
    const match = /listening (\S+)/.exec(chunk.toString())
    if (match?.[1] !== undefined) {
      clearTimeout(timer)
      resolve(match[1])
    }
  })
  child.once("exit", (code) => reject(new Error(`the app exited with ${code}: ${appLog.join(" | ")}`)))
})
const pid = child.pid ?? 0

const cleanUp = async () => {
  child.kill("SIGTERM")
  await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)))
  await simulator.close()
  if (!args.pglite) await onServer(serverUrl, `drop database if exists "${databaseName}" with (force)`)
  await rm(dataDir, { recursive: true, force: true })
}

// ---- a client: the session cookie by hand, the app's origin on writes

let cookie = ""
const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${appUrl}${path}`, {
    method,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
    headers: {
      ...headers,
      ...(cookie === "" ? {} : { cookie }),
      ...(method === "GET" ? {} : { origin: appUrl }),
      ...(body === undefined
        ? {}
        : typeof body === "string"
          ? { "content-type": "application/x-www-form-urlencoded" }
          : { "content-type": "application/json" })
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

const signIn = await send("POST", "/login", new URLSearchParams({ ...ADMIN, next: "/" }).toString())
cookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? ""
if (signIn.status !== 303 || cookie === "") throw new Error(`sign-in failed: ${signIn.status}`)
const bot = await send("POST", "/api/v1/credentials", {
  name: "Soak Jira bot",
  username: DEMO_ACCOUNT.email,
  token: DEMO_ACCOUNT.apiToken
})
const credentialId = (JSON.parse(bot.text) as { id: string }).id
const connected = await send("POST", "/api/v1/jira/config", {
  name: "Soak Jira",
  baseUrl: DEMO_SITE,
  credentialId,
  defaultJql: ""
})
if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${connected.text}`)
let configVersion = (JSON.parse(connected.text) as { version: number }).version
const projectKey = sim.data.projects.find((p) => p.key === "DEMO")?.key ?? sim.data.projects[0]?.key ?? "DEMO"

// ---- every write audited: the audit log's events by action, through the API, before and after the traffic

const auditSince = async (since: number) => {
  const counts: Record<string, number> = {}
  let before = ""
  for (let page = 0; page < 100; page++) {
    const reply = await send("GET", `/api/v1/audit?limit=100${before}`)
    const body = JSON.parse(reply.text) as {
      events: Array<{ action: string; at: string }>
      next: { before_at: string; before_id: string } | null
    }
    let older = false
    for (const event of body.events) {
      if (Date.parse(event.at) < since) older = true
      else counts[event.action] = (counts[event.action] ?? 0) + 1
    }
    if (older || body.next === null) break
    before = `&before_at=${encodeURIComponent(body.next.before_at)}&before_id=${encodeURIComponent(body.next.before_id)}`
  }
  return counts
}
const auditedBefore = await auditSince(0)

// ---- the traffic

interface Sample {
  readonly kind: string
  readonly label: string
  readonly status: number
  readonly ok: boolean
  readonly ms: number
  readonly at: number
}
const samples: Array<Sample> = []
const failures: Array<string> = []

const fragment = { "hx-request": "true" }
const READS: ReadonlyArray<{ kind: string; path: string; headers?: Record<string, string> }> = [
  { kind: "page", path: "/" },
  { kind: "page", path: "/projects" },
  { kind: "page", path: `/projects/${projectKey}` },
  { kind: "page", path: "/manage/credentials" },
  { kind: "fragment", path: "/fragments/jira-widget", headers: fragment },
  { kind: "fragment", path: "/fragments/projects?q=D", headers: fragment },
  { kind: "fragment", path: `/fragments/projects/${projectKey}/issues?status=new`, headers: fragment },
  { kind: "api read", path: "/api/v1/jira/summary" },
  { kind: "api read", path: "/api/v1/jira/projects" },
  { kind: "api read", path: `/api/v1/jira/projects/${projectKey}` },
  { kind: "api read", path: `/api/v1/jira/projects/${projectKey}/issues` },
  { kind: "api read", path: "/api/v1/credentials" },
  { kind: "api read", path: "/api/v1/audit?limit=10" }
]

type WriteAction = "JIRA_CONFIG_UPDATED" | "CREDENTIAL_CREATED" | "CREDENTIAL_DELETED"
const writes: Record<WriteAction, { sent: number; succeeded: number }> = {
  JIRA_CONFIG_UPDATED: { sent: 0, succeeded: 0 },
  CREDENTIAL_CREATED: { sent: 0, succeeded: 0 },
  CREDENTIAL_DELETED: { sent: 0, succeeded: 0 }
}
const pendingDeletes: Array<string> = []
let writeInFlight = false
let writeCount = 0

const timed = async (kind: string, label: string, expected: number, call: () => ReturnType<typeof send>) => {
  const started = performance.now()
  let status = 0
  let text = ""
  try {
    const reply = await call()
    status = reply.status
    text = reply.text
  } catch (error) {
    text = error instanceof Error ? error.message : String(error)
  }
  const ok = status === expected
  samples.push({ kind, label, status, ok, ms: performance.now() - started, at: Date.now() })
  if (!ok) failures.push(`${kind} ${label}: ${status} ${text.replace(/<[^>]+>/g, " ").slice(0, 200)}`)
  return { ok, text }
}

/** One write at a time, cycling: rename the connection, create a credential, delete it. */
const write = async () => {
  writeInFlight = true
  const step = writeCount++ % 3
  try {
    if (step === 0) {
      writes.JIRA_CONFIG_UPDATED.sent++
      const result = await timed("write", "PUT /api/v1/jira/config", 200, () =>
        send("PUT", "/api/v1/jira/config", {
          version: configVersion,
          name: `Soak Jira ${writeCount}`,
          baseUrl: DEMO_SITE,
          credentialId,
          defaultJql: ""
        })
      )
      if (result.ok) {
        writes.JIRA_CONFIG_UPDATED.succeeded++
        configVersion = (JSON.parse(result.text) as { version: number }).version
      }
    } else if (step === 1) {
      writes.CREDENTIAL_CREATED.sent++
      const result = await timed("write", "POST /api/v1/credentials", 201, () =>
        send("POST", "/api/v1/credentials", {
          name: `Soak bot ${writeCount}`,
          username: DEMO_ACCOUNT.email,
          token: `soak-token-${writeCount}`
        })
      )
      if (result.ok) {
        writes.CREDENTIAL_CREATED.succeeded++
        pendingDeletes.push((JSON.parse(result.text) as { id: string }).id)
      }
    } else {
      const id = pendingDeletes.shift()
      if (id !== undefined) {
        writes.CREDENTIAL_DELETED.sent++
        const result = await timed("write", "DELETE /api/v1/credentials/{id}", 204, () =>
          send("DELETE", `/api/v1/credentials/${id}`)
        )
        if (result.ok) writes.CREDENTIAL_DELETED.succeeded++
      }
    }
  } finally {
    writeInFlight = false
  }
}

// RSS of the app's process, once a second.
const readRssMb = async () => {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "")
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024
}
const rss: Array<{ second: number; mb: number }> = []
const trafficStart = Date.now()
let sampling = true
const sampler = (async () => {
  for (let second = 0; sampling; second++) {
    rss.push({ second, mb: await readRssMb() })
    await sleep(trafficStart + (second + 1) * 1000 - Date.now())
  }
})()

process.stdout.write(
  `soak: ${DURATION_S} s at ${RATE} req/s against ${appUrl} (${args.pglite ? "PGlite" : "PostgreSQL"})\n`
)
const inFlight = new Set<Promise<unknown>>()
const total = DURATION_S * RATE
for (let tick = 0; tick < total; tick++) {
  await sleep(trafficStart + (tick * 1000) / RATE - Date.now())
  // One write a second; a write still running gives its slot to a read.
  const request =
    tick % RATE === RATE - 1 && !writeInFlight
      ? write()
      : (() => {
          const read = READS[tick % READS.length] ?? READS[0]!
          return timed(read.kind, read.path, 200, () => send("GET", read.path, undefined, read.headers))
        })()
  inFlight.add(request)
  void request.finally(() => inFlight.delete(request))
}
await Promise.all(inFlight)
sampling = false
await sampler
const elapsedS = (Date.now() - trafficStart) / 1000

const auditedTotal = await auditSince(0)
const audited = Object.fromEntries(
  Object.entries(auditedTotal).map(([action, n]) => [action, n - (auditedBefore[action] ?? 0)])
)
await cleanUp()

// ---- the report

const quantile = (values: ReadonlyArray<number>, q: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : "-")
const kinds = [...new Set(samples.map((s) => s.kind))]
const requestRows = [...kinds, "all"].map((kind) => {
  const of = kind === "all" ? samples : samples.filter((s) => s.kind === kind)
  const times = of.map((s) => s.ms)
  return `| ${kind} | ${of.length} | ${of.filter((s) => !s.ok).length} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.95))} | ${ms(quantile(times, 0.99))} | ${ms(Math.max(...times))} |`
})

const atWarmup = rss.find((r) => r.second === WARMUP_S)?.mb ?? rss[rss.length - 1]?.mb ?? Number.NaN
const afterWarmup = rss.filter((r) => r.second >= WARMUP_S)
const endMb = rss[rss.length - 1]?.mb ?? Number.NaN
const maxAfter = Math.max(...afterWarmup.map((r) => r.mb))
const growth = (endMb - atWarmup) / atWarmup
const maxGrowth = (maxAfter - atWarmup) / atWarmup

const writeRows = (Object.keys(writes) as Array<WriteAction>).map(
  (action) => `| ${action} | ${writes[action].sent} | ${writes[action].succeeded} | ${audited[action] ?? 0} |`
)
const writesSent = Object.values(writes).reduce((n, w) => n + w.sent, 0)
const everyWriteAudited = (Object.keys(writes) as Array<WriteAction>).every(
  (action) => writes[action].succeeded === (audited[action] ?? 0) && writes[action].sent === writes[action].succeeded
)
const checks = [
  { name: "no failed request", ok: failures.length === 0 },
  {
    name: `RSS growth after the ${WARMUP_S} s warm-up ≤ ${MAX_GROWTH * 100} % (end and peak)`,
    ok: maxGrowth <= MAX_GROWTH
  },
  { name: "every write succeeded and left exactly one audit event", ok: everyWriteAudited }
]

const report = [
  "# Soak report",
  "",
  `${new Date(trafficStart).toISOString()} · ${args.pglite ? "PGlite (embedded)" : "PostgreSQL"} · ${DURATION_S} s at ${RATE} req/s (${elapsedS.toFixed(1)} s measured) · simulated Jira latency ${LATENCY_MS} ms · Node ${process.version}`,
  "",
  "## Requests",
  "",
  "| kind | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...requestRows,
  "",
  ...(failures.length === 0 ? [] : ["Failures (first 20):", "", ...failures.slice(0, 20).map((f) => `- ${f}`), ""]),
  "## Writes and the audit log",
  "",
  `${writesSent} writes sent; audit events written since the traffic started, by action:`,
  "",
  "| action | sent | succeeded | audit events |",
  "| --- | ---: | ---: | ---: |",
  ...writeRows,
  "",
  "## Memory (RSS of the app's process)",
  "",
  `- at the end of the warm-up (${WARMUP_S} s): ${atWarmup.toFixed(1)} MB`,
  `- at the end: ${endMb.toFixed(1)} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`,
  `- peak after the warm-up: ${maxAfter.toFixed(1)} MB (${maxGrowth >= 0 ? "+" : ""}${(maxGrowth * 100).toFixed(1)} %)`,
  "",
  "| second | RSS MB |",
  "| ---: | ---: |",
  ...rss
    .filter((r) => r.second % 5 === 0 || r === rss[rss.length - 1])
    .map((r) => `| ${r.second} | ${r.mb.toFixed(1)} |`),
  "",
  `App log lines at Warn or above: ${appLog.length}${appLog.length === 0 ? "" : ` (first: ${appLog[0]?.slice(0, 200)})`}`,
  "",
  "## Checks",
  "",
  ...checks.map((c) => `- ${c.ok ? "PASS" : "FAIL"}: ${c.name}`),
  ""
].join("\n")

await mkdir(join(APP_DIR, ".artifacts", "soak"), { recursive: true })
await writeFile(REPORT, report)
process.stdout.write(`${report}\nWritten to ${REPORT}\n`)
process.exit(checks.every((c) => c.ok) ? 0 : 1)
