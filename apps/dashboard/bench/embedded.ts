import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { DEMO_PASSWORD } from "../demo/seed.ts"
import { signIn } from "./dashboard-client.ts"
import { startJira } from "./jira.ts"
import { APP_DIR, memoryOf, nodeFlagsOf, type Server, startServer } from "./processes.ts"
import { round } from "./stats.ts"

/**
 * `pnpm --filter @sciple/dashboard bench:embedded`: the embedded default (PGlite) as production starts it
 * (the bundle on plain node with the package's heap flags): the first start on an empty data folder, then
 * the restart on it, with the demo workspace's pages viewed. Writes .artifacts/bench/embedded.{json,md}.
 * Start figures are wall time and the CPU time the process spent, which a busy machine does not inflate.
 */

const TARGETS = { steadyRssMb: 350, peakRssMb: 500, restartReadyMs: 5_000 } as const
const VIEWS = process.argv.includes("--quick") ? 30 : 60

/** CPU time (user + system) a process has used so far, ms. Linux only. */
const cpuMsOf = async (pid: number): Promise<number> => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10
}

interface Start {
  readonly readyMs: number
  readonly cpuMs: number
  /** VmHWM once ready, MB. */
  readonly peakAtReadyMb: number
}

const measureStart = async (server: Server): Promise<Start> => ({
  readyMs: round(server.readyMs, 0),
  cpuMs: await cpuMsOf(server.pid),
  peakAtReadyMb: round((await memoryOf(server.pid))?.hwmMb ?? Number.NaN, 0)
})

const main = async () => {
  // The production flags (package.json "config"), unless BENCH_APP_NODE_OPTIONS tries others.
  const nodeFlags = nodeFlagsOf(
    process.env.BENCH_APP_NODE_OPTIONS ??
      JSON.parse(await readFile(join(APP_DIR, "package.json"), "utf8")).config.nodeFlags
  )
  const jira = await startJira(150)
  const dataDir = await mkdtemp(join(tmpdir(), "sciple-bench-embedded-"))
  const env = {
    PATH: process.env.PATH,
    DATA_DIR: join(dataDir, "data"),
    BENCH_JIRA_URL: jira.url,
    LOG_LEVEL: "Warn"
  }
  const launch = () =>
    startServer({ script: "dist/bench-app.js", env, readyPath: "/readyz", timeoutMs: 180_000, nodeArgs: nodeFlags })
  try {
    const first = await launch()
    const firstStart = await measureStart(first)
    await first.stop()
    const app = await launch()
    const restart = await measureStart(app)
    const client = await signIn(app.url, "admin@demo.test", DEMO_PASSWORD)
    const paths = ["/", "/projects", "/projects/DEMO"]
    for (let i = 0; i < VIEWS; i++) {
      // Every third round cold: a new configuration version, so Jira answers and pages are built again.
      if (i % 3 === 0) await client.invalidate()
      for (const path of paths) await client.get(path)
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const memory = await memoryOf(app.pid)
    await app.stop()
    const figures = {
      at: new Date().toISOString(),
      loadAverage1m: round(loadavg()[0] ?? 0, 1),
      firstStart,
      restart,
      steadyRssMb: round(memory?.rssMb ?? Number.NaN, 0),
      peakRssMb: round(memory?.hwmMb ?? Number.NaN, 0),
      views: VIEWS * paths.length
    }
    const pass = (ok: boolean) => (ok ? "pass" : "**FAIL**")
    const md = [
      "## Embedded default (PGlite), production start",
      "",
      `Load average at the end: ${figures.loadAverage1m}. ${figures.views} page views after the restart.`,
      "",
      "| figure | measured | target | |",
      "|---|---|---|---|",
      `| first start to /readyz (empty folder; initdb in a child process) | ${firstStart.readyMs} ms wall, ${firstStart.cpuMs} ms CPU | | |`,
      `| server's peak RSS at the first start | ${firstStart.peakAtReadyMb} MB | ≤ ${TARGETS.peakRssMb} MB | ${pass(firstStart.peakAtReadyMb <= TARGETS.peakRssMb)} |`,
      `| restart to /readyz (existing folder) | ${restart.readyMs} ms wall, ${restart.cpuMs} ms CPU | ≤ ${TARGETS.restartReadyMs} ms | ${pass(restart.readyMs <= TARGETS.restartReadyMs)} (CPU ${pass(restart.cpuMs <= TARGETS.restartReadyMs)}) |`,
      `| steady RSS after the views | ${figures.steadyRssMb} MB | ≤ ${TARGETS.steadyRssMb} MB | ${pass(figures.steadyRssMb <= TARGETS.steadyRssMb)} |`,
      `| peak RSS of the restarted server (VmHWM) | ${figures.peakRssMb} MB | ≤ ${TARGETS.peakRssMb} MB | ${pass(figures.peakRssMb <= TARGETS.peakRssMb)} |`,
      ""
    ].join("\n")
    const out = join(APP_DIR, ".artifacts", "bench")
    await mkdir(out, { recursive: true })
    await writeFile(join(out, "embedded.json"), `${JSON.stringify(figures, null, 2)}\n`)
    await writeFile(join(out, "embedded.md"), md)
    console.log(md)
  } finally {
    await jira.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

await main()
