import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { IssueSourceJiraCloud, routeHosts } from "@sciple/jira-cloud"
import { SiteUrl } from "@sciple/jira-core"
import { Effect, Redacted, Result } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { readSettings } from "../src/settings.ts"

/**
 * `pnpm --filter @sciple/dashboard bench:connection-test`: how long Test connection takes against a site that does
 * not answer, over real sockets, with the app's own Jira settings (JIRA_TIMEOUT_MS), and the reason it gives.
 * Target: every case answers in under 10 s with its specific reason. Prints a Markdown table; always exits 0.
 */

const TARGET_MS = 10_000
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SITE = "https://acme.atlassian.net"

const settings = readSettings(process.env)
if (Result.isFailure(settings)) {
  for (const problem of settings.failure) console.error(`configuration: ${problem}`)
  process.exit(1)
}

const portOf = (address: AddressInfo | string | null): number =>
  typeof address === "object" && address !== null ? address.port : 0
const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve(portOf(server.address()))))
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

// A socket that accepts and never answers: the site hangs.
const hanging = createServer(() => undefined)
const hangingPort = await listen(hanging)
// A port that was just free: nothing listens, the connection is refused.
const closed = createServer()
const refusedPort = await listen(closed)
await close(closed)

const CASES: ReadonlyArray<{ readonly name: string; readonly origin: string; readonly reason: string }> = [
  { name: "hanging socket (accepts, never answers)", origin: `http://127.0.0.1:${hangingPort}`, reason: "timeout" },
  { name: "connection refused (closed port)", origin: `http://127.0.0.1:${refusedPort}`, reason: "refused" },
  { name: "DNS failure (an .invalid name)", origin: "http://sciple-bench.invalid", reason: "dns" }
]

const testOnce = (origin: string) =>
  Effect.gen(function* () {
    const source = IssueSourceJiraCloud.make(
      routeHosts({ "acme.atlassian.net": origin })(yield* HttpClient.HttpClient),
      { requestTimeout: `${settings.success.jiraTimeoutMs} millis` }
    )
    const started = performance.now()
    const outcome = yield* source
      .testConnection({
        site: SiteUrl.make(SITE),
        email: "bench@example.test",
        token: Redacted.make("bench-token"),
        cacheKey: `bench/${origin}`
      })
      .pipe(Effect.result)
    const ms = performance.now() - started
    return Result.isFailure(outcome)
      ? {
          ms,
          reason: "reason" in outcome.failure ? String(outcome.failure.reason) : outcome.failure._tag,
          message: outcome.failure.message
        }
      : { ms, reason: "connected", message: "connected" }
  }).pipe(Effect.provide(FetchHttpClient.layer))

const rows: Array<string> = []
for (const c of CASES) {
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await Effect.runPromise(testOnce(c.origin)))
  const times = runs.map((r) => r.ms).sort((a, b) => a - b)
  const max = times[times.length - 1] ?? 0
  const reasons = [...new Set(runs.map((r) => r.reason))]
  const ok = max < TARGET_MS && reasons.length === 1 && reasons[0] === c.reason
  rows.push(
    `| ${c.name} | ${(times[0] ?? 0).toFixed(0)} | ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(0)} | ${max.toFixed(0)} | ${reasons.join(", ")} | ${runs[0]?.message ?? ""} | ${ok ? "ok" : "**FAIL**"} |`
  )
}
await close(hanging)

console.log(
  `Test connection against an unreachable site (${RUNS} runs each, JIRA_TIMEOUT_MS=${settings.success.jiraTimeoutMs}; target < ${TARGET_MS} ms, specific reason)\n`
)
console.log("| Case | min ms | median ms | max ms | reason | message | |")
console.log("|---|---|---|---|---|---|---|")
for (const row of rows) console.log(row)
