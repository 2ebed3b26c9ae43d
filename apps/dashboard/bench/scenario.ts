import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generateDataset } from "@sciple/jira-simulator"
import { type Dashboard, signIn } from "./dashboard-client.ts"
import { coldSplit, type Jira, roundTrips, startJira } from "./jira.ts"
import { burst, sustained } from "./load.ts"
import { memoryOf, nodeFlagsOf, type Server, sampleRss, startServer } from "./processes.ts"
import {
  type ColdFigures,
  checkTargets,
  type Driver,
  type DriverReport,
  type GrowthRow,
  type LadderStep,
  type PageId,
  type PageReport
} from "./report.ts"
import { statsOf } from "./stats.ts"

export interface Plan {
  readonly latencyMs: number
  readonly cacheTtlSeconds: number
  readonly coldSamples: number
  readonly growthSamples: number
  readonly concurrentRequests: number
  readonly warmConnections: number
  readonly warmSeconds: number
  readonly warmupSeconds: number
  readonly ladderSeconds: number
  readonly growthProjects: ReadonlyArray<number>
  readonly growthIssues: ReadonlyArray<number>
  /**
   * Node flags for the app's process only, on its command line (as `pnpm start` passes them: NODE_OPTIONS refuses
   * `--liftoff-only`); null starts it without.
   */
  readonly appNodeFlags: string | null
  readonly log: (line: string) => void
}

const ADMIN = { email: "admin@demo.test", password: "demo-password" }

interface Page {
  readonly id: PageId
  readonly path: string
  /** Text only the page built from Jira's answer contains (an error panel lacks it). */
  readonly marker: string
}

const LADDER: ReadonlyArray<Pick<LadderStep, "path" | "label">> = [
  { path: "/healthz", label: "no sign-in check, no database" },
  { path: "/readyz", label: "one database round trip" },
  { path: "/login", label: "the sign-in check only (signed in: 303 to /)" },
  {
    path: "/",
    label: "the home page, warm: sign-in check, configuration, credential, secret, cached Jira answer, render"
  }
]

/** Settings of the process under test: everything from the environment except what the benchmark fixes. */
const childEnv = (fixed: Record<string, string>) => {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const name of ["DATABASE_URL", "PUBLIC_URL", "ADMIN_EMAIL", "ADMIN_PASSWORD", "SECRET_STORE", "PORT", "HOST"])
    delete env[name]
  return { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? "Info", ...fixed }
}

const hasContent = (html: string, page: Page) => html.includes(page.marker) && !html.includes('class="error-panel"')

/** A cold view (cache invalidated) then the same view warm; the Jira calls of each counted at the simulator. */
const viewPair = async (client: Dashboard, jira: Jira, page: Page) => {
  await client.invalidate()
  jira.reset()
  const cold = await client.get(page.path)
  const coldCalls = jira.calls()
  const timed = jira.timed()
  const warm = await client.get(page.path)
  const warmCalls = jira.calls() - coldCalls
  const problems: Array<string> = []
  for (const [which, res] of [
    ["cold", cold],
    ["warm", warm]
  ] as const) {
    if (res.status !== 200) problems.push(`${which} view answered ${res.status}`)
    else if (!hasContent(res.html, page)) problems.push(`${which} view lacks its Jira content`)
  }
  return {
    cold,
    warm,
    coldCalls,
    warmCalls,
    roundTrips: roundTrips(timed),
    split: coldSplit(cold.sentAt, cold.doneAt, timed, jira.latencyMs),
    problems
  }
}

const median = (values: ReadonlyArray<number>) => statsOf(values).p50

/** `samples` cold/warm pairs after two unrecorded ones (so the JIT is warm; "cold" is about the cache). */
const coldFigures = async (client: Dashboard, jira: Jira, page: Page, samples: number) => {
  for (let i = 0; i < 2; i++) await viewPair(client, jira, page)
  const pairs = []
  for (let i = 0; i < samples; i++) pairs.push(await viewPair(client, jira, page))
  const coldMs = statsOf(pairs.map((p) => p.cold.ms))
  const splits = pairs.flatMap((p) => (p.split === null ? [] : [p.split]))
  const cold: ColdFigures = {
    samples,
    calls: pairs.map((p) => p.coldCalls),
    roundTrips: Math.max(...pairs.map((p) => p.roundTrips)),
    ms: coldMs,
    p50OverLatency: coldMs.p50 / jira.latencyMs,
    p95OverLatency: coldMs.p95 / jira.latencyMs,
    split:
      splits.length === 0
        ? null
        : {
            beforeJiraMs: median(splits.map((s) => s.beforeJiraMs)),
            jiraMs: median(splits.map((s) => s.jiraMs)),
            simulatorWorkMs: median(splits.map((s) => s.simulatorWorkMs)),
            afterJiraMs: median(splits.map((s) => s.afterJiraMs))
          },
    htmlBytes: Buffer.byteLength(pairs.at(-1)?.cold.html ?? "")
  }
  return {
    cold,
    warm: { calls: pairs.map((p) => p.warmCalls), ms: statsOf(pairs.map((p) => p.warm.ms)) },
    problems: [...new Set(pairs.flatMap((p) => p.problems))]
  }
}

/** The project of the default site with the most issues. */
const busiestProject = (jira: Jira) => {
  const counts = new Map<string, number>()
  for (const issue of jira.sim.data.issues) counts.set(issue.projectKey, (counts.get(issue.projectKey) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "DEMO"
}

const emptyReport = (driver: Driver, error: string): DriverReport => ({
  driver,
  error,
  startup: null,
  memory: null,
  projectKey: null,
  pages: [],
  ladder: [],
  growth: [],
  targets: [{ figure: "Run completed", page: null, measured: error, target: "no error", pass: false }]
})

/** Every figure for one database driver: its own simulator, data folder and app processes. */
export const measureDriver = async (
  driver: Driver,
  databaseUrl: string | null,
  plan: Plan,
  minimalScript: string
): Promise<DriverReport> => {
  const log = (line: string) => plan.log(`[${driver}] ${line}`)
  const jira = await startJira(plan.latencyMs)
  const dataDir = await mkdtemp(join(tmpdir(), `sciple-bench-${driver}-`))
  const servers: Array<Server> = []
  try {
    const env = childEnv({
      DATA_DIR: join(dataDir, "data"),
      BENCH_JIRA_URL: jira.url,
      JIRA_CACHE_TTL_SECONDS: String(plan.cacheTtlSeconds),
      ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl })
    })
    const startApp = async () => {
      const server = await startServer({
        script: "dist/bench-app.js",
        env,
        readyPath: "/readyz",
        timeoutMs: 120_000,
        nodeArgs: nodeFlagsOf(plan.appNodeFlags)
      })
      servers.push(server)
      return server
    }

    log("first start, empty database")
    const first = await startApp()
    const firstMemory = await memoryOf(first.pid)
    await first.stop()
    log(`ready in ${Math.round(first.readyMs)} ms; restarting on the same database`)
    const app = await startApp()
    const appMemory = await memoryOf(app.pid)
    const rss = sampleRss(app.pid)

    const client = await signIn(app.url, ADMIN.email, ADMIN.password)
    const projectKey = busiestProject(jira)
    const pages: ReadonlyArray<Page> = [
      { id: "home", path: "/", marker: "Open issues" },
      { id: "projects", path: "/projects", marker: "<table" },
      { id: "project", path: `/projects/${projectKey}`, marker: `<code>${projectKey}</code>` }
    ]
    const headers = { cookie: client.cookie }

    const perPage = new Map<PageId, Awaited<ReturnType<typeof coldFigures>>>()
    for (const page of pages) {
      log(`cold and warm views of ${page.path}`)
      perPage.set(page.id, await coldFigures(client, jira, page, plan.coldSamples))
    }

    const concurrent = new Map<PageId, PageReport["concurrent"]>()
    for (const page of pages) {
      log(`${plan.concurrentRequests} concurrent cold requests of ${page.path}`)
      await client.invalidate()
      jira.reset()
      const load = await burst(`${app.url}${page.path}`, headers, plan.concurrentRequests, (body) =>
        hasContent(body, page)
      )
      concurrent.set(page.id, {
        requests: plan.concurrentRequests,
        calls: jira.calls(),
        roundTrips: roundTrips(jira.timed()),
        load
      })
    }

    // The minimal server answers each path with the bytes the app just served for it.
    const files: Record<string, string> = {}
    for (const page of pages) {
      const res = await client.get(page.path)
      const file = join(dataDir, `${page.id}.html`)
      await writeFile(file, res.html)
      files[page.path] = file
    }
    const minimal = await startServer({
      script: minimalScript,
      env: childEnv({ BENCH_PAGES: JSON.stringify(files) }),
      readyPath: "/"
    })
    servers.push(minimal)

    const throughput = new Map<PageId, PageReport["throughput"]>()
    for (const page of pages) {
      log(`warm load on ${page.path}: app, then the minimal server`)
      // A fresh cache entry for the run, well inside the TTL.
      await client.invalidate()
      await client.get(page.path)
      jira.reset()
      const { warmConnections: c, warmSeconds: s, warmupSeconds: w } = plan
      await sustained(`${app.url}${page.path}`, headers, c, w)
      const appRun = await sustained(`${app.url}${page.path}`, headers, c, s, app.pid)
      const jiraCalls = jira.calls()
      await sustained(`${minimal.url}${page.path}`, headers, c, w)
      const minimalRun = await sustained(`${minimal.url}${page.path}`, headers, c, s, minimal.pid)
      throughput.set(page.id, {
        connections: c,
        seconds: s,
        app: appRun,
        minimal: minimalRun,
        ratio: minimalRun.rps > 0 ? appRun.rps / minimalRun.rps : 0,
        jiraCalls
      })
    }
    await minimal.stop()

    // The warm home page, taken apart: what each layer of a signed-in, cached view costs the app.
    const ladder: Array<LadderStep> = []
    await client.invalidate()
    await client.get("/")
    for (const step of LADDER) {
      log(`warm cost: ${step.path} (${step.label})`)
      const url = `${app.url}${step.path}`
      await sustained(url, headers, plan.warmConnections, plan.warmupSeconds)
      const r = await sustained(url, headers, plan.warmConnections, plan.ladderSeconds, app.pid)
      ladder.push({
        ...step,
        responsesPerSecond: r.requests / r.seconds,
        statusCodes: r.statusCodes,
        cpuMsPerRequest: r.cpuMsPerRequest,
        latencyP50Ms: r.latencyMs.p50
      })
    }

    const growth: Array<GrowthRow> = []
    const grow = async (page: Page, dataset: string) => {
      const figures = await coldFigures(client, jira, page, plan.growthSamples)
      growth.push({
        page: page.id,
        dataset,
        path: page.path,
        cold: figures.cold,
        warmCalls: Math.max(...figures.warm.calls),
        problems: figures.problems
      })
    }
    const now = Date.now()
    for (const projects of plan.growthProjects) {
      log(`projects tab on a site of ${projects} projects`)
      jira.sim.seed(generateDataset({ projects, issuesPerProject: 2, seed: 7, now }))
      await grow({ id: "projects", path: "/projects", marker: "<table" }, `${projects.toLocaleString("en")} projects`)
    }
    for (const issues of plan.growthIssues) {
      log(`project page of a project with ${issues} issues`)
      const data = generateDataset({ projects: 1, issuesPerProject: issues, seed: 7, now })
      jira.sim.seed(data)
      const key = data.projects[0]?.key ?? "PA"
      await grow(
        { id: "project", path: `/projects/${key}`, marker: `<code>${key}</code>` },
        `${issues.toLocaleString("en")} issues in the project`
      )
    }

    const peak = await rss.stop()
    const end = await memoryOf(app.pid)
    const pageReports: Array<PageReport> = pages.map((page) => {
      const f = perPage.get(page.id)
      const c = concurrent.get(page.id)
      const t = throughput.get(page.id)
      if (f === undefined || c === undefined || t === undefined) throw new Error(`no figures for ${page.id}`)
      return {
        id: page.id,
        path: page.path,
        cold: f.cold,
        warm: f.warm,
        concurrent: c,
        throughput: t,
        problems: f.problems
      }
    })
    const report: Omit<DriverReport, "targets"> = {
      driver,
      error: null,
      startup: {
        firstStartMs: first.readyMs,
        firstStartRssMb: firstMemory?.rssMb ?? Number.NaN,
        firstStartHwmMb: firstMemory?.hwmMb ?? Number.NaN,
        restartMs: app.readyMs,
        restartRssMb: appMemory?.rssMb ?? Number.NaN
      },
      memory: { peakRssUnderLoadMb: peak.peakMb, rssSamples: peak.samples, hwmMb: end?.hwmMb ?? Number.NaN },
      projectKey,
      pages: pageReports,
      ladder,
      growth
    }
    return { ...report, targets: checkTargets(report, plan.latencyMs) }
  } catch (error) {
    const tail = servers
      .map((s) => s.errorTail())
      .filter(Boolean)
      .at(-1)
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)
    log(`failed: ${message}${tail === undefined ? "" : `\n${tail}`}`)
    return emptyReport(driver, message)
  } finally {
    for (const server of servers) await server.stop()
    await jira.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}
