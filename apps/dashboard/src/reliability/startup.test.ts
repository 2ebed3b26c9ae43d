import { spawn } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

/**
 * The real process entry (`node --import tsx src/main.ts`) refusing to start: it exits non-zero at once with
 * one line that says why, and never repeats the database password.
 */

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url))
const PASSWORD = "s3cret-Pa55word-never-printed"

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sciple-startup-"))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

interface Exit {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** Runs the entry with only the given settings (nothing inherited but PATH and HOME) and waits for it to exit. */
const runMain = (env: Record<string, string>, timeoutMs = 15_000): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ["--conditions=@sciple/source", "--import", "tsx", "src/main.ts"], {
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
      resolve({ code, stdout, stderr, ms: performance.now() - started })
    })
  })

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "")

// Each case is a separate process that spends ~2 s loading the app: run them side by side.
describe.concurrent("the process entry refusing to start", () => {
  it("exits 1 within 15 s with one line naming the database when PostgreSQL is unreachable, without the password", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused.
    const exit = await runMain({ DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/app` })
    expect(exit.code).toBe(1)
    expect(exit.ms).toBeLessThan(15_000)
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
