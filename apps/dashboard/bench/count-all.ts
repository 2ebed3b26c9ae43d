import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DEMO_PASSWORD } from "../demo/seed.ts"
import { signIn } from "./dashboard-client.ts"
import { type Jira, roundTrips, startJira } from "./jira.ts"
import { APP_DIR, nodeFlagsOf, startServer } from "./processes.ts"
import { mode, round, statsOf } from "./stats.ts"

/**
 * `pnpm --filter @sciple/dashboard bench:count-all`: what "Count all" costs on the busiest project of the demo
 * site, in front of the simulator (150 ms per answer): Jira calls, round trips and time of the exact-counts
 * fragment right after a cold page view (the sample is cached), fully cold (nothing cached), and warm.
 * Writes .artifacts/bench/count-all.{json,md} and prints the Markdown. The sampled project page is measured,
 * with its targets, by the main benchmark; this fragment runs only when a person presses the button.
 */

const LATENCY_MS = 150
const RUNS = process.argv.includes("--quick") ? 4 : 10

const busiestProject = (jira: Jira) => {
  const counts = new Map<string, number>()
  for (const issue of jira.sim.data.issues) counts.set(issue.projectKey, (counts.get(issue.projectKey) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "DEMO"
}

interface Sample {
  readonly calls: number
  readonly rounds: number
  readonly ms: number
}

const main = async () => {
  const nodeFlags = nodeFlagsOf(
    process.env.BENCH_APP_NODE_OPTIONS ??
      JSON.parse(await readFile(join(APP_DIR, "package.json"), "utf8")).config.nodeFlags
  )
  const jira = await startJira(LATENCY_MS)
  const dataDir = await mkdtemp(join(tmpdir(), "sciple-bench-count-all-"))
  const env = { PATH: process.env.PATH, DATA_DIR: join(dataDir, "data"), BENCH_JIRA_URL: jira.url, LOG_LEVEL: "Warn" }
  try {
    const app = await startServer({
      script: "dist/bench-app.js",
      env,
      readyPath: "/readyz",
      timeoutMs: 180_000,
      nodeArgs: nodeFlags
    })
    try {
      const client = await signIn(app.url, "admin@demo.test", DEMO_PASSWORD)
      const key = busiestProject(jira)
      const page = `/projects/${key}`
      const fragment = `/fragments/projects/${key}/exact-counts`
      const countAll = async (): Promise<Sample & { readonly ok: boolean }> => {
        jira.reset()
        const sentAt = performance.now()
        const res = await fetch(`${app.url}${fragment}`, { headers: { cookie: client.cookie, "hx-request": "true" } })
        const html = await res.text()
        const ms = performance.now() - sentAt
        return {
          calls: jira.calls(),
          rounds: roundTrips(jira.timed()),
          ms,
          ok: res.status === 200 && html.includes("Exact counts")
        }
      }
      const afterPage: Array<Sample> = []
      const cold: Array<Sample> = []
      const warm: Array<Sample> = []
      let failures = 0
      // Two rounds first, not recorded: JIT warm-up.
      for (let i = 0; i < RUNS + 2; i++) {
        await client.invalidate()
        await client.get(page)
        const a = await countAll()
        const w = await countAll()
        await client.invalidate()
        const c = await countAll()
        if (i < 2) continue
        failures += [a, w, c].filter((s) => !s.ok).length
        afterPage.push(a)
        warm.push(w)
        cold.push(c)
      }
      const row = (label: string, samples: ReadonlyArray<Sample>) => {
        const ms = statsOf(samples.map((s) => s.ms))
        return `| ${label} | ${mode(samples.map((s) => s.calls))} | ${mode(samples.map((s) => s.rounds))} | ${round(ms.p50, 0)} | ${round(ms.p95, 0)} |`
      }
      const figures = {
        at: new Date().toISOString(),
        project: key,
        issues: jira.sim.data.issues.filter((issue) => issue.projectKey === key).length,
        latencyMs: LATENCY_MS,
        runs: RUNS,
        failures,
        afterPage,
        cold,
        warm
      }
      const md = [
        `## Count all (exact counts) on ${key}`,
        "",
        `${figures.issues} issues; simulator latency ${LATENCY_MS} ms; ${RUNS} runs each; ${failures === 0 ? "every answer was the exact charts" : `**${failures} answers were not the exact charts**`}. Calls and round trips: the value seen most often. The sampled project page keeps its own targets in the main report.`,
        "",
        "| Count all | Jira calls | round trips | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
        row("right after a cold page view (sample cached)", afterPage),
        row("cold (nothing cached)", cold),
        row("warm (pressed again)", warm),
        ""
      ].join("\n")
      const out = join(APP_DIR, ".artifacts", "bench")
      await mkdir(out, { recursive: true })
      await writeFile(join(out, "count-all.json"), `${JSON.stringify(figures, null, 2)}\n`)
      await writeFile(join(out, "count-all.md"), md)
      console.log(md)
    } finally {
      await app.stop()
    }
  } finally {
    await jira.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

await main()
