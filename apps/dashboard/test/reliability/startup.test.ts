import { execFile, spawn } from "node:child_process"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

/**
 * The production entry (the esbuild bundle on plain node, as `pnpm start` runs it) refusing to start: it exits
 * non-zero with one line that says why, and never repeats the database password. How fast it exits is measured by
 * the benchmark, not asserted here: the limits below only stop a hung process on a busy machine.
 */

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url))
const PASSWORD = "s3cret-Pa55word-never-printed"

let dataDir: string
let bundleDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sciple-startup-"))
  // Inside the app's folder, so the bundle's external packages resolve from its node_modules.
  await mkdir(join(APP_DIR, ".artifacts"), { recursive: true })
  bundleDir = await mkdtemp(join(APP_DIR, ".artifacts", "startup-bundle-"))
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ["build.mjs", "--outdir", bundleDir], { cwd: APP_DIR }, (error) =>
      error ? reject(error) : resolve()
    )
  )
}, 120_000)
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
  await rm(bundleDir, { recursive: true, force: true })
})

interface Exit {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the entry with only the given settings (nothing inherited but PATH and HOME) and waits for it to exit. */
const runMain = (env: Record<string, string>, timeoutMs = 90_000): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(bundleDir, "main.js")], {
      cwd: APP_DIR,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dataDir, PORT: "0", DATA_DIR: dataDir, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`still running after ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`))
    }, timeoutMs)
    child.once("error", reject)
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "")

// Each case is a separate process: run them side by side.
describe.concurrent("the process entry refusing to start", { timeout: 120_000 }, () => {
  it("exits 1 with one line naming the database when PostgreSQL is unreachable, without the password", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused.
    const exit = await runMain({ DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/app` })
    expect(exit.code).toBe(1)
    expect(lines(exit.stderr)).toHaveLength(1)
    expect(exit.stderr).toMatch(/database/i)
    expect(exit.stderr).toMatch(/refused/)
    expect(exit.stderr + exit.stdout).not.toContain(PASSWORD)
    expect(exit.stdout).not.toMatch(/dashboard on/)
  })

  it("exits 1 with one line when the database URL is malformed, without echoing it", async () => {
    const exit = await runMain({ DATABASE_URL: `postgres://app:${PASSWORD}@[::1/app` })
    expect(exit.code).toBe(1)
    expect(lines(exit.stderr)).toHaveLength(1)
    expect(exit.stderr).toMatch(/DATABASE_URL/)
    expect(exit.stderr + exit.stdout).not.toContain(PASSWORD)
  })

  it("exits 1 with one line when the embedded database's folder cannot be created", async () => {
    // A regular file where the data folder should be.
    const blocked = join(dataDir, "not-a-folder")
    await writeFile(blocked, "")
    const exit = await runMain({ DATA_DIR: blocked })
    expect(exit.code).toBe(1)
    expect(lines(exit.stderr)).toHaveLength(1)
    expect(exit.stderr).toMatch(/database|data folder/i)
  })

  it("exits 1 naming PORT when the port is not a number, before opening anything", async () => {
    const exit = await runMain({ PORT: "http", DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/app` })
    expect(exit.code).toBe(1)
    expect(lines(exit.stderr)).toEqual([expect.stringMatching(/^configuration: PORT must be a whole number/)])
    expect(exit.stderr).not.toContain(PASSWORD)
  })
})

/** The files esbuild bundled, from the `// path` line it writes above each one (the bundle is not minified). */
const bundledFiles = (bundle: string) =>
  [...bundle.matchAll(/^\/\/ (\S+\.[cm]?[jt]sx?)$/gm)].map(([, path]) => path ?? "")
/** Imports left to node at run time (the external packages). */
const importedPackages = (bundle: string) =>
  [...bundle.matchAll(/\bfrom\s*"([^"./][^"]*)"/g)].map(([, name]) => name ?? "")
const TEST_ONLY =
  /^(msw|vitest|@effect\/vitest|playwright-core|axe-core|autocannon|fast-check|@sciple\/jira-simulator)(\/|$)/

describe("the production bundle", () => {
  it("carries no msw, simulator or test-support code, while the demo's bundle carries the simulator", async () => {
    const main = await readFile(join(bundleDir, "main.js"), "utf8")
    const demo = await readFile(join(bundleDir, "demo.js"), "utf8")
    const files = bundledFiles(main)
    expect(files).toContain("src/main.ts")
    expect(
      files.filter((file) => /jira-simulator|(^|\/)(test|testing|contracts)\/|node_modules\/msw\//.test(file))
    ).toEqual([])
    expect(importedPackages(main).filter((name) => TEST_ONLY.test(name))).toEqual([])
    expect(main).not.toMatch(/setupServer|createJiraSimulator/)
    // The same checks find the simulator where it belongs.
    expect(bundledFiles(demo).some((file) => file.includes("packages/jira-simulator/src/"))).toBe(true)
    expect(demo).toMatch(/createJiraSimulator/)
  })
})
