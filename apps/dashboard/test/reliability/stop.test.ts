import { type ChildProcess, spawn } from "node:child_process"
import { constants } from "node:fs"
import { access, mkdtemp, open, realpath, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

/**
 * `pnpm start` stopped as a terminal's Ctrl-C stops it (SIGINT to the whole process group) and as a supervisor
 * does (SIGTERM to pnpm alone): the app closes its server and database, prints one line, and everything exits 0
 * without pnpm's failure lines. The limits only stop a hung process on a busy machine; nothing is timed.
 */

const REPO = fileURLToPath(new URL("../../../..", import.meta.url))
const PNPM_FAILURE = /ELIFECYCLE|ERR_PNPM|Command failed/

/** pnpm as a terminal runs it: a script on PATH goes to the node running this test, not a wrapper on PATH. */
const pnpmCommand = async (): Promise<ReadonlyArray<string>> => {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "pnpm")
    const found = await access(candidate, constants.X_OK).then(
      () => true,
      () => false
    )
    if (!found) continue
    const file = await realpath(candidate)
    const handle = await open(file, "r")
    const head = Buffer.alloc(2)
    await handle.read(head, 0, 2, 0)
    await handle.close()
    return head.toString() === "#!" ? [process.execPath, file] : [file]
  }
  throw new Error("pnpm is not on PATH")
}

let pnpm: ReadonlyArray<string>
let dataDir: string
beforeAll(async () => {
  pnpm = await pnpmCommand()
  dataDir = await mkdtemp(join(tmpdir(), "sciple-stop-"))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

interface Stopped {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** `pnpm <script>` from the repository root in a process group of its own; `stop` runs once the app serves. */
const startThenStop = (script: string, dir: string, stop: (child: ChildProcess) => void): Promise<Stopped> =>
  new Promise((resolve, reject) => {
    const [command = "pnpm", ...args] = pnpm
    const child = spawn(command, [...args, script], {
      cwd: REPO,
      detached: true,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, PORT: "0", DATA_DIR: dir, LOG_LEVEL: "Warn" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let stopped = false
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!stopped && /^Sciple (dashboard|demo) on http/m.test(stdout)) {
        stopped = true
        stop(child)
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
      reject(new Error(`no clean stop within 150 s; stdout: ${stdout} stderr: ${stderr}`))
    }, 150_000)
    child.once("error", reject)
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "")

describe("pnpm start stopping", { timeout: 180_000 }, () => {
  it("stops on Ctrl-C (SIGINT to the process group) with exit 0 and one line", async () => {
    const exit = await startThenStop("start", join(dataDir, "sigint"), (child) => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGINT")
    })
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(exit.stdout).filter((line) => line.startsWith("Sciple dashboard stopped"))).toEqual([
      "Sciple dashboard stopped (SIGINT)"
    ])
    expect(exit.stdout + exit.stderr).not.toMatch(PNPM_FAILURE)
  })

  it("stops on SIGTERM to pnpm alone, which passes it on, with exit 0 and one line", async () => {
    const exit = await startThenStop("start", join(dataDir, "sigterm"), (child) => child.kill("SIGTERM"))
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(exit.stdout).filter((line) => line.startsWith("Sciple dashboard stopped"))).toEqual([
      "Sciple dashboard stopped (SIGTERM)"
    ])
    expect(exit.stdout + exit.stderr).not.toMatch(PNPM_FAILURE)
  })

  it("stops the demo (and its simulator) on Ctrl-C the same way", async () => {
    const exit = await startThenStop("demo", join(dataDir, "demo"), (child) => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGINT")
    })
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(exit.stdout).filter((line) => line.startsWith("Sciple dashboard stopped"))).toEqual([
      "Sciple dashboard stopped (SIGINT)"
    ])
    expect(exit.stdout + exit.stderr).not.toMatch(PNPM_FAILURE)
  })
})
