import { readFile } from "node:fs/promises"
import autocannon from "autocannon"

export interface LoadResult {
  readonly requests: number
  readonly ok: number
  readonly non2xx: number
  readonly errors: number
  /** Responses whose body failed the check (when one was given). */
  readonly mismatches: number
  /** Responses per status code. */
  readonly statusCodes: Readonly<Record<string, number>>
  readonly seconds: number
  /** Successful responses per second. */
  readonly rps: number
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number }
  /** CPU time (user + system) the server process spent per response, when its pid was given. */
  readonly cpuMsPerRequest: number | null
}

/** Linux only: user + system CPU time of a process so far, ms. */
export const cpuMs = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null)
  // The fields after the command name (which may hold spaces) start at ") ".
  const fields = stat?.slice(stat.lastIndexOf(") ") + 2).split(" ")
  const ticks = Number(fields?.[11]) + Number(fields?.[12])
  // The kernel's clock tick is 100 Hz on every common Linux build.
  return Number.isFinite(ticks) ? ticks * 10 : Number.NaN
}

const run = async (options: Parameters<typeof autocannon>[0], pid: number | null): Promise<LoadResult> => {
  const before = pid === null ? Number.NaN : await cpuMs(pid)
  const r = await autocannon(options)
  const after = pid === null ? Number.NaN : await cpuMs(pid)
  const responses = r.requests.total
  return {
    requests: responses,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors,
    mismatches: r.mismatches ?? 0,
    statusCodes: Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)])
    ),
    seconds: r.duration,
    rps: r.duration > 0 ? r["2xx"] / r.duration : 0,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    cpuMsPerRequest: Number.isFinite(after - before) && responses > 0 ? (after - before) / responses : null
  }
}

/** Keeps `connections` requests in flight for `seconds`; `pid` is the server's, for its CPU time. */
export const sustained = (
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  pid: number | null = null
) => run({ url, connections, duration: seconds, headers, timeout: 30 }, pid)

/** `count` requests at once, one per connection; each body must pass `verify`. */
export const burst = (url: string, headers: Record<string, string>, count: number, verify: (body: string) => boolean) =>
  run({ url, connections: count, amount: count, headers, timeout: 30, verifyBody: verify }, null)
