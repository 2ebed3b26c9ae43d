import { type ChildProcess, spawn } from "node:child_process"
import { readFile } from "node:fs/promises"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

/** The dashboard's folder: children run from here, as `pnpm start` does. */
export const APP_DIR = fileURLToPath(new URL("..", import.meta.url))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A port nobody listens on now, so the child's address is known before it prints anything. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export interface Memory {
  /** Resident set size now, MB. */
  readonly rssMb: number
  /** The process's resident high-water mark since it started, MB. */
  readonly hwmMb: number
}

/** Linux only: VmRSS and VmHWM of a process, or null once it has gone. */
export const memoryOf = async (pid: number): Promise<Memory | null> => {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null)
  if (status === null) return null
  const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? Number.NaN)
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 }
}

/** Polls a process's RSS until stopped; the peak is what the process held under the load in between. */
export const sampleRss = (pid: number, everyMs = 50) => {
  let peakMb = 0
  let samples = 0
  let running = true
  const loop = (async () => {
    while (running) {
      const memory = await memoryOf(pid)
      if (memory !== null && Number.isFinite(memory.rssMb)) {
        peakMb = Math.max(peakMb, memory.rssMb)
        samples++
      }
      await sleep(everyMs)
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return { peakMb, samples }
    }
  }
}

/** Node flags as written in package.json's `config.nodeFlags` (space separated), as arguments. */
export const nodeFlagsOf = (flags: string | null | undefined): ReadonlyArray<string> =>
  (flags ?? "").split(" ").filter((flag) => flag !== "")

export interface Server {
  readonly url: string
  readonly pid: number
  /** From spawning the process to its first 200 on the ready path, ms. */
  readonly readyMs: number
  /** The last lines the process wrote to stderr (for a failure message). */
  readonly errorTail: () => string
  readonly stop: () => Promise<void>
}

const waitForExit = (child: ChildProcess, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve(true)
    })
  })

/**
 * Runs a TypeScript entry point of this app in a Node process of its own (the same Node as this one) on a free
 * port, and waits until `readyPath` answers 200.
 */
export const startServer = async (options: {
  readonly script: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly readyPath: string
  readonly timeoutMs?: number
  readonly nodeArgs?: ReadonlyArray<string>
}): Promise<Server> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  // A built bundle runs on plain node, as in production; a TypeScript script through the loader.
  const loader = options.script.endsWith(".js") ? [] : ["--conditions=@sciple/source", "--import", "tsx"]
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.script], {
    cwd: APP_DIR,
    env: { ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const tail: Array<string> = []
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString("utf8").split("\n").filter(Boolean))
    tail.splice(0, Math.max(0, tail.length - 20))
  }
  child.stderr?.on("data", keep)
  child.stdout?.on("data", keep)
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill("SIGTERM")
    if (!(await waitForExit(child, 10_000))) {
      child.kill("SIGKILL")
      await waitForExit(child, 5_000)
    }
  }
  const deadline = started + (options.timeoutMs ?? 60_000)
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break
    const ok = await fetch(`${url}${options.readyPath}`)
      .then(async (res) => {
        await res.arrayBuffer()
        return res.status === 200
      })
      .catch(() => false)
    if (ok) {
      return {
        url,
        pid: child.pid ?? 0,
        readyMs: performance.now() - started,
        errorTail: () => tail.join("\n"),
        stop
      }
    }
    await sleep(10)
  }
  await stop()
  throw new Error(`${options.script} did not become ready:\n${tail.join("\n")}`)
}
