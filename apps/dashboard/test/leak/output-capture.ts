import { format, inspect } from "node:util"

type ConsoleMethod = "log" | "info" | "warn" | "error" | "debug" | "trace"
const CONSOLE_METHODS: ReadonlyArray<ConsoleMethod> = ["log", "info", "warn", "error", "debug", "trace"]

export interface CapturedOutput {
  /** Every console call (as the console would print it) and every chunk written to stdout or stderr. */
  readonly lines: ReadonlyArray<string>
  /** Gives the console and the streams back; safe to call twice. */
  readonly restore: () => void
}

const chunkText = (chunk: unknown): string =>
  typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : String(chunk)

/**
 * Records everything the process prints while it runs: the app's logger writes through `console`, anything
 * else may write to the streams directly. Console calls are recorded and not printed (a Trace-level run is
 * loud); stream writes are recorded and passed on. Objects are also recorded in full depth, since a
 * console only prints the first levels of what it is given.
 */
export const captureOutput = (): CapturedOutput => {
  const lines: Array<string> = []
  const originals = new Map<ConsoleMethod, (...args: Array<unknown>) => void>()
  for (const method of CONSOLE_METHODS) {
    originals.set(method, console[method])
    console[method] = (...args: Array<unknown>) => {
      lines.push(format(...args))
      for (const arg of args) {
        if (typeof arg === "object" && arg !== null) lines.push(inspect(arg, { depth: Number.POSITIVE_INFINITY }))
      }
    }
  }
  const streams = [process.stdout, process.stderr] as const
  const writes = streams.map((stream) => stream.write)
  for (const stream of streams) {
    const write = stream.write
    stream.write = ((chunk: unknown, ...rest: Array<never>) => {
      lines.push(chunkText(chunk))
      return write.call(stream, chunk as string, ...rest)
    }) as typeof stream.write
  }
  let restored = false
  return {
    lines,
    restore: () => {
      if (restored) return
      restored = true
      for (const [method, original] of originals) console[method] = original
      streams.forEach((stream, i) => {
        stream.write = writes[i]!
      })
    }
  }
}
