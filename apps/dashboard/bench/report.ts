import type { ColdSplit } from "./jira.ts"
import type { LoadResult } from "./load.ts"
import { round, type Stats } from "./stats.ts"

export type Driver = "pglite" | "postgres"
export type PageId = "home" | "projects" | "project"

export const PAGE_LABEL: Record<PageId, string> = {
  home: "Home",
  projects: "Projects tab",
  project: "Project page"
}

export const DRIVER_LABEL: Record<Driver, string> = { postgres: "PostgreSQL", pglite: "PGlite" }

/** The targets of the issue, in one place. */
export const TARGETS = {
  homeColdCalls: 3,
  projectColdCalls: 5,
  roundTrips: 1,
  warmCalls: 0,
  coldP50OverLatency: 1.5,
  warmThroughputRatio: 1 / 3,
  peakRssMb: 250
} as const

export interface ColdFigures {
  readonly samples: number
  /** Jira calls of each cold view. */
  readonly calls: ReadonlyArray<number>
  /** Sequential Jira round trips, the most seen in any cold view. */
  readonly roundTrips: number
  readonly ms: Stats
  readonly p50OverLatency: number
  readonly p95OverLatency: number
  /** Medians of each part of the cold views. */
  readonly split: ColdSplit | null
  readonly htmlBytes: number
}

export interface PageReport {
  readonly id: PageId
  readonly path: string
  readonly cold: ColdFigures
  readonly warm: { readonly calls: ReadonlyArray<number>; readonly ms: Stats }
  readonly concurrent: {
    readonly requests: number
    readonly calls: number
    readonly roundTrips: number
    readonly load: LoadResult
  }
  readonly throughput: {
    readonly connections: number
    readonly seconds: number
    readonly app: LoadResult
    readonly minimal: LoadResult
    readonly ratio: number
    /** Jira calls while the app was under the warm load. */
    readonly jiraCalls: number
  }
  readonly problems: ReadonlyArray<string>
}

export interface GrowthRow {
  readonly page: PageId
  readonly dataset: string
  readonly path: string
  readonly cold: ColdFigures
  readonly warmCalls: number
  readonly problems: ReadonlyArray<string>
}

export interface LadderStep {
  readonly path: string
  readonly label: string
  /** Every response counted, whatever its status. */
  readonly responsesPerSecond: number
  readonly statusCodes: Readonly<Record<string, number>>
  readonly cpuMsPerRequest: number | null
  readonly latencyP50Ms: number
}

export interface TargetResult {
  readonly figure: string
  readonly page: PageId | null
  readonly measured: string
  readonly target: string
  /** null: reported, with no target for this driver. */
  readonly pass: boolean | null
}

export interface DriverReport {
  readonly driver: Driver
  readonly error: string | null
  readonly startup: {
    /** Spawn to first 200 on /readyz with an empty database (migrations and the demo seed run). */
    readonly firstStartMs: number
    readonly firstStartRssMb: number
    readonly firstStartHwmMb: number
    /** The same on the now-populated database: the process the load runs against. */
    readonly restartMs: number
    readonly restartRssMb: number
  } | null
  readonly memory: {
    readonly peakRssUnderLoadMb: number
    readonly rssSamples: number
    /** The loaded process's own high-water mark, its start included. */
    readonly hwmMb: number
  } | null
  readonly projectKey: string | null
  readonly pages: ReadonlyArray<PageReport>
  /** The cost of a warm request, layer by layer. */
  readonly ladder: ReadonlyArray<LadderStep>
  readonly growth: ReadonlyArray<GrowthRow>
  readonly targets: ReadonlyArray<TargetResult>
}

export interface Report {
  readonly generatedAt: string
  readonly mode: "full" | "quick"
  readonly settings: {
    readonly jiraLatencyMs: number
    readonly cacheTtlSeconds: number
    readonly coldSamples: number
    readonly growthSamples: number
    readonly concurrentRequests: number
    readonly warmConnections: number
    readonly warmSeconds: number
    readonly warmupSeconds: number
    readonly ladderSeconds: number
    readonly appNodeFlags: string | null
  }
  readonly machine: {
    readonly cpus: number
    readonly cpuModel: string
    readonly memoryMb: number
    readonly node: string
  }
  readonly drivers: ReadonlyArray<DriverReport>
  /** The other scripts' Markdown (bench/sections.ts), in the order they ran. */
  readonly sections: ReadonlyArray<{ readonly title: string; readonly markdown: string }>
  readonly durationSeconds: number
  readonly notes: ReadonlyArray<string>
}

const n = (v: number, digits = 1) => (Number.isFinite(v) ? String(round(v, digits)) : "n/a")
const ms = (v: number) => `${n(v, 0)} ms`
const mb = (v: number) => `${n(v, 0)} MB`
const range = (values: ReadonlyArray<number>) => {
  if (values.length === 0) return "n/a"
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  return lo === hi ? String(lo) : `${lo}–${hi}`
}
const cpu = (v: number | null) => (v === null ? "CPU n/a" : `${n(v, 2)} ms CPU/req`)
const maxOf = (values: ReadonlyArray<number>) => (values.length === 0 ? Number.NaN : Math.max(...values))

/** Every target of the issue, checked against one driver's figures. */
export const checkTargets = (d: Omit<DriverReport, "targets">, latencyMs: number): ReadonlyArray<TargetResult> => {
  const out: Array<TargetResult> = []
  for (const p of d.pages) {
    const coldMax = maxOf(p.cold.calls)
    if (p.id === "home" || p.id === "project") {
      const limit = p.id === "home" ? TARGETS.homeColdCalls : TARGETS.projectColdCalls
      out.push({
        figure: "Jira calls, cold view (most in any sample)",
        page: p.id,
        measured: range(p.cold.calls),
        target: `≤ ${limit}`,
        pass: coldMax <= limit
      })
    }
    out.push({
      figure: "Jira round trips, cold view (all calls concurrent = 1)",
      page: p.id,
      measured: String(p.cold.roundTrips),
      target: `≤ ${TARGETS.roundTrips}`,
      pass: p.cold.roundTrips <= TARGETS.roundTrips
    })
    const warmMax = Math.max(maxOf(p.warm.calls), p.throughput.jiraCalls)
    out.push({
      figure: "Jira calls, warm view (and during the warm load)",
      page: p.id,
      measured: `${range(p.warm.calls)} (load: ${p.throughput.jiraCalls})`,
      target: "0",
      pass: warmMax === TARGETS.warmCalls
    })
    out.push({
      figure: `Jira calls, ${p.concurrent.requests} concurrent cold requests`,
      page: p.id,
      measured: `${p.concurrent.calls} (one request: ${range(p.cold.calls)})`,
      target: "= one request's",
      pass:
        p.cold.calls.length > 0 &&
        p.cold.calls.every((c) => c === p.concurrent.calls) &&
        p.concurrent.load.ok === p.concurrent.requests
    })
    out.push({
      figure: "Cold p50 / Jira latency",
      page: p.id,
      measured: `${n(p.cold.p50OverLatency, 2)} (${ms(p.cold.ms.p50)}; p95 ${n(p.cold.p95OverLatency, 2)})`,
      target: `≤ ${TARGETS.coldP50OverLatency} (${ms(TARGETS.coldP50OverLatency * latencyMs)})`,
      pass: p.cold.p50OverLatency <= TARGETS.coldP50OverLatency
    })
    out.push({
      figure: "Warm req/s ÷ minimal server's",
      page: p.id,
      measured: `${n(p.throughput.ratio, 2)} (${n(p.throughput.app.rps, 0)} / ${n(p.throughput.minimal.rps, 0)})`,
      target: "≥ 0.33",
      pass: p.throughput.ratio >= TARGETS.warmThroughputRatio && p.throughput.app.non2xx === 0
    })
    if (p.problems.length > 0) {
      out.push({
        figure: "Page answered correctly",
        page: p.id,
        measured: p.problems.join("; "),
        target: "200 with its content",
        pass: false
      })
    }
  }
  if (d.memory !== null) {
    out.push({
      figure: "Peak RSS under load",
      page: null,
      measured: mb(d.memory.peakRssUnderLoadMb),
      target: d.driver === "postgres" ? `≤ ${TARGETS.peakRssMb} MB` : "reported",
      pass: d.driver === "postgres" ? d.memory.peakRssUnderLoadMb <= TARGETS.peakRssMb : null
    })
  }
  if (d.error !== null)
    out.push({ figure: "Run completed", page: null, measured: d.error, target: "no error", pass: false })
  return out
}

const verdict = (pass: boolean | null) => (pass === null ? "—" : pass ? "PASS" : "**FAIL**")
const esc = (s: string) => s.replace(/\|/g, "\\|")

const row = (cells: ReadonlyArray<string>) => `| ${cells.map(esc).join(" | ")} |`
const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n")

const pageTable = (d: DriverReport) => {
  const pages = d.pages
  const cells = (f: (p: PageReport) => string) => pages.map(f)
  const splitCell = (p: PageReport) =>
    p.cold.split === null
      ? "n/a"
      : `${ms(p.cold.split.beforeJiraMs)} / ${ms(p.cold.split.jiraMs)} (simulator work ${ms(p.cold.split.simulatorWorkMs)}) / ${ms(p.cold.split.afterJiraMs)}`
  return table(
    ["Figure", ...pages.map((p) => `${PAGE_LABEL[p.id]} \`${p.path}\``)],
    [
      ["Jira calls, cold view", ...cells((p) => range(p.cold.calls))],
      ["Jira round trips, cold view", ...cells((p) => String(p.cold.roundTrips))],
      ["Jira calls, warm view", ...cells((p) => range(p.warm.calls))],
      [
        `Jira calls, ${pages[0]?.concurrent.requests ?? 200} concurrent cold requests`,
        ...cells(
          (p) =>
            `${p.concurrent.calls} (${p.concurrent.load.ok - p.concurrent.load.mismatches} of ${p.concurrent.requests} pages right; p50 ${ms(p.concurrent.load.latencyMs.p50)}, max ${ms(p.concurrent.load.latencyMs.max)})`
        )
      ],
      ["Cold p50 / p95", ...cells((p) => `${ms(p.cold.ms.p50)} / ${ms(p.cold.ms.p95)}`)],
      [
        "Cold p50 / p95 ÷ Jira latency",
        ...cells((p) => `${n(p.cold.p50OverLatency, 2)} / ${n(p.cold.p95OverLatency, 2)}`)
      ],
      ["Cold view, p50 split: before Jira / Jira / after Jira", ...cells(splitCell)],
      ["Warm view p50 (one at a time)", ...cells((p) => ms(p.warm.ms.p50))],
      [
        "Warm req/s, app",
        ...cells(
          (p) =>
            `${n(p.throughput.app.rps, 0)} (p50 ${ms(p.throughput.app.latencyMs.p50)}, p99 ${ms(p.throughput.app.latencyMs.p99)}; ${cpu(p.throughput.app.cpuMsPerRequest)})`
        )
      ],
      [
        "Warm req/s, minimal server, same bytes",
        ...cells(
          (p) =>
            `${n(p.throughput.minimal.rps, 0)} (p50 ${ms(p.throughput.minimal.latencyMs.p50)}; ${cpu(p.throughput.minimal.cpuMsPerRequest)})`
        )
      ],
      ["Ratio app ÷ minimal", ...cells((p) => n(p.throughput.ratio, 2))],
      ["Jira calls during the warm load", ...cells((p) => String(p.throughput.jiraCalls))],
      ["Page size", ...cells((p) => `${n(p.cold.htmlBytes / 1024, 1)} KiB`)]
    ]
  )
}

export const renderMarkdown = (r: Report): string => {
  const lines: Array<string> = []
  const s = r.settings
  lines.push("# Dashboard benchmark", "")
  lines.push(
    `${r.generatedAt}, ${r.mode} run, ${n(r.durationSeconds, 0)} s. Jira simulator latency ${s.jiraLatencyMs} ms; cache TTL ${s.cacheTtlSeconds} s; ` +
      `${s.coldSamples} cold views per page (${s.growthSamples} per growth step); warm load ${s.warmConnections} connections × ${s.warmSeconds} s after ${s.warmupSeconds} s of warm-up; ` +
      `${s.appNodeFlags === null ? "" : `app started with \`node ${s.appNodeFlags}\`; `}machine: ${r.machine.cpus} CPU (${r.machine.cpuModel}), ${n(r.machine.memoryMb / 1024, 0)} GB, Node ${r.machine.node}.`,
    ""
  )
  lines.push("## Targets", "")
  for (const d of r.drivers) {
    const failed = d.targets.filter((t) => t.pass === false).length
    lines.push(
      `### ${DRIVER_LABEL[d.driver]}: ${failed === 0 ? "all targets met" : `${failed} target${failed === 1 ? "" : "s"} FAILED`}`,
      ""
    )
    lines.push(
      table(
        ["Figure", "Page", "Measured", "Target", "Result"],
        d.targets.map((t) => [
          t.figure,
          t.page === null ? "process" : PAGE_LABEL[t.page],
          t.measured,
          t.target,
          verdict(t.pass)
        ])
      ),
      ""
    )
  }
  for (const d of r.drivers) {
    if (d.pages.length === 0) continue
    lines.push(`## ${DRIVER_LABEL[d.driver]}: figures`, "")
    lines.push(pageTable(d), "")
    if (d.startup !== null && d.memory !== null) {
      lines.push(
        table(
          ["Process", "Value"],
          [
            ["Start to `/readyz`, empty database (migrations, demo seed)", ms(d.startup.firstStartMs)],
            [
              "  that process's RSS when ready / high-water mark",
              `${mb(d.startup.firstStartRssMb)} / ${mb(d.startup.firstStartHwmMb)}`
            ],
            ["Start to `/readyz`, restart on the same database (the process under load)", ms(d.startup.restartMs)],
            ["  RSS when ready", mb(d.startup.restartRssMb)],
            ["Peak RSS under load", `${mb(d.memory.peakRssUnderLoadMb)} (${d.memory.rssSamples} samples)`],
            ["High-water mark of the loaded process (its start included)", mb(d.memory.hwmMb)]
          ]
        ),
        ""
      )
    }
  }
  const ladders = r.drivers.filter((d) => d.ladder.length > 0)
  if (ladders.length > 0) {
    lines.push("## Where a warm request goes", "")
    lines.push(
      `Each step under the same warm load (${s.warmConnections} connections × ${s.ladderSeconds} s), signed in; every response counted. CPU is the app process's own.`,
      ""
    )
    lines.push(
      table(
        ["Driver", "Request", "What it does", "Responses/s", "App CPU per response", "p50"],
        ladders.flatMap((d) =>
          d.ladder.map((step) => [
            DRIVER_LABEL[d.driver],
            `\`${step.path}\` (${Object.keys(step.statusCodes).join(", ")})`,
            step.label,
            n(step.responsesPerSecond, 0),
            step.cpuMsPerRequest === null ? "n/a" : `${n(step.cpuMsPerRequest, 2)} ms`,
            ms(step.latencyP50Ms)
          ])
        )
      ),
      ""
    )
  }
  const growth = r.drivers.flatMap((d) => d.growth.map((g) => ({ d, g })))
  if (growth.length > 0) {
    lines.push("## How it grows", "")
    lines.push(
      table(
        [
          "Driver",
          "Page",
          "Simulated site",
          "Jira calls cold",
          "Round trips",
          "Jira calls warm",
          "Cold p50",
          "Cold p95",
          "p50 ÷ latency",
          "Simulator work (p50)"
        ],
        growth.map(({ d, g }) => [
          DRIVER_LABEL[d.driver],
          `${PAGE_LABEL[g.page]} \`${g.path}\``,
          g.dataset,
          range(g.cold.calls),
          String(g.cold.roundTrips),
          String(g.warmCalls),
          ms(g.cold.ms.p50),
          ms(g.cold.ms.p95),
          n(g.cold.p50OverLatency, 2),
          g.cold.split === null ? "n/a" : ms(g.cold.split.simulatorWorkMs)
        ])
      ),
      ""
    )
  }
  for (const section of r.sections) {
    // A script's own headings sit one level below its section's.
    lines.push(`## ${section.title}`, "", section.markdown.replace(/^## /gm, "### "), "")
  }
  lines.push("## Notes", "")
  for (const note of r.notes) lines.push(`- ${note}`)
  lines.push("")
  return lines.join("\n")
}
