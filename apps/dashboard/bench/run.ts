import { randomBytes } from "node:crypto"
import { mkdir, writeFile } from "node:fs/promises"
import { cpus, totalmem } from "node:os"
import { parseArgs } from "node:util"
import { DrizzleDatabase, layerPostgres } from "@sciple/drizzle-postgres"
import { ManagedRuntime } from "effect"
import { APP_DIR } from "./processes.ts"
import { DRIVER_LABEL, type Driver, type DriverReport, type Report, renderMarkdown } from "./report.ts"
import { measureDriver, type Plan } from "./scenario.ts"
import { runSection, SECTIONS } from "./sections.ts"

/**
 * `pnpm bench [--driver pglite|postgres|both] [--quick]`: the dashboard against the Jira simulator, loaded over
 * HTTP; writes .artifacts/bench/report.json and report.md and prints the Markdown. Exits 0 whatever the
 * figures: it is a report, and a missed target is marked FAIL in it.
 */
const { values } = parseArgs({
  options: {
    driver: { type: "string", default: "both" },
    quick: { type: "boolean", default: false },
    "main-only": { type: "boolean", default: false }
  }
})
const drivers: ReadonlyArray<Driver> =
  values.driver === "both"
    ? ["postgres", "pglite"]
    : values.driver === "postgres" || values.driver === "pglite"
      ? [values.driver]
      : []
if (drivers.length === 0) {
  console.error(`--driver must be pglite, postgres or both (got "${values.driver}")`)
  process.exit(2)
}
const quick = values.quick

const plan: Plan = {
  latencyMs: 150,
  cacheTtlSeconds: 60,
  coldSamples: quick ? 6 : 20,
  growthSamples: quick ? 3 : 7,
  concurrentRequests: 200,
  warmConnections: 20,
  warmSeconds: quick ? 3 : 8,
  warmupSeconds: quick ? 1 : 2,
  ladderSeconds: quick ? 2 : 4,
  growthProjects: [100, 1_000, 5_000],
  growthIssues: [500, 5_000, 50_000],
  // The production start script's flags (package.json "config"), unless overridden.
  appNodeFlags: process.env.BENCH_APP_NODE_OPTIONS ?? process.env.npm_package_config_nodeFlags ?? null,
  log: (line) => console.error(line)
}

/** The server the benchmark creates its own database on; the database is dropped afterwards. */
const ADMIN_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const onAdminDatabase = async (statement: string) => {
  const runtime = ManagedRuntime.make(layerPostgres(ADMIN_DATABASE_URL, { migrate: false, maxConnections: 1 }))
  try {
    await runtime.runPromise(
      DrizzleDatabase.use((db) =>
        db.run(async (d) => {
          await d.execute(statement)
        })
      )
    )
  } finally {
    await runtime.dispose()
  }
}

const withDatabase = async (driver: Driver, body: (url: string | null) => Promise<DriverReport>) => {
  if (driver === "pglite") return body(null)
  const name = `bench_${randomBytes(6).toString("hex")}`
  const url = new URL(ADMIN_DATABASE_URL)
  url.pathname = `/${name}`
  try {
    await onAdminDatabase(`CREATE DATABASE ${name}`)
  } catch (error) {
    const reason = `cannot create a database on the PostgreSQL server (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`
    console.error(`[postgres] ${reason}`)
    return {
      driver,
      error: reason,
      startup: null,
      memory: null,
      projectKey: null,
      pages: [],
      ladder: [],
      growth: [],
      targets: [{ figure: "Run completed", page: null, measured: reason, target: "no error", pass: false }]
    } satisfies DriverReport
  }
  try {
    return await body(url.toString())
  } finally {
    // FORCE: a connection the app left behind must not keep the database alive.
    await onAdminDatabase(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: unknown) =>
      console.error(`[postgres] could not drop ${name}: ${error instanceof Error ? error.message : String(error)}`)
    )
  }
}

const began = performance.now()
const reports: Array<DriverReport> = []
for (const driver of drivers) {
  reports.push(await withDatabase(driver, (url) => measureDriver(driver, url, plan, "bench/minimal-server.ts")))
}

// The other scripts' figures (several instances, stale views, a quota pause, the embedded default), in this report.
const sections: Array<{ readonly title: string; readonly markdown: string }> = []
for (const section of values["main-only"] ? [] : SECTIONS) {
  console.error(`[bench] ${section.script}`)
  sections.push({ title: section.title, markdown: await runSection(section, quick) })
}

const report: Report = {
  generatedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  settings: {
    jiraLatencyMs: plan.latencyMs,
    cacheTtlSeconds: plan.cacheTtlSeconds,
    coldSamples: plan.coldSamples,
    growthSamples: plan.growthSamples,
    concurrentRequests: plan.concurrentRequests,
    warmConnections: plan.warmConnections,
    warmSeconds: plan.warmSeconds,
    warmupSeconds: plan.warmupSeconds,
    ladderSeconds: plan.ladderSeconds,
    appNodeFlags: plan.appNodeFlags
  },
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version
  },
  drivers: reports,
  sections,
  durationSeconds: (performance.now() - began) / 1000,
  notes: [
    `The load generator, the Jira simulator and the app${drivers.includes("postgres") ? " (and, for PostgreSQL, the database server)" : ""} share this machine's ${cpus().length} CPU${cpus().length === 1 ? "" : "s"}: requests per second are a lower bound for the app, and the ratio to the minimal server (measured the same way, on the same run) is the figure to compare across machines.`,
    "Cold means the cache has no answer: before each cold view the Jira configuration's display name is changed through the API, which gives it a new version, and the cache key holds the version. Warm is the same request right after. The first two views of each page are not recorded (JIT warm-up).",
    "Jira calls are counted by the simulator. Round trips: a call that arrived after another call of the same view had been answered starts a further round; 1 means every call went out together.",
    "Cold split: before Jira = from sending the request until the first Jira call arrives (sign-in check, configuration, credential, secret); Jira = first call in to last answer out, the simulator's latency included; after Jira = last answer to the whole page received (decoding, rendering, transfer).",
    "The app and the minimal server each run in a Node process of their own (the same Node, started the same way); RSS is read from the app's process status every 50 ms from sign-in to the end of the growth steps. The first start is on an empty database and is stopped; the load runs on a second process started on the same, now populated, database.",
    ...(drivers.includes("postgres")
      ? [
          `PostgreSQL: a fresh database on ${new URL(ADMIN_DATABASE_URL).host}, created for the run and dropped afterwards.`
        ]
      : []),
    ...(drivers.includes("pglite") ? ["PGlite: a fresh data folder in the temporary directory."] : [])
  ]
}

const outDir = new URL("../.artifacts/bench/", import.meta.url)
await mkdir(outDir, { recursive: true })
const markdown = renderMarkdown(report)
await writeFile(new URL("report.json", outDir), `${JSON.stringify(report, null, 2)}\n`)
await writeFile(new URL("report.md", outDir), markdown)
console.log(markdown)
const failed = reports.flatMap((r) =>
  r.targets.filter((t) => t.pass === false).map((t) => `${DRIVER_LABEL[r.driver]}: ${t.figure}`)
)
console.error(
  failed.length === 0
    ? `All targets met. Report in ${APP_DIR}.artifacts/bench/`
    : `${failed.length} target(s) FAILED (see the report in ${APP_DIR}.artifacts/bench/).`
)
// Undici's keep-alive sockets would hold the process open for a while.
process.exit(0)
