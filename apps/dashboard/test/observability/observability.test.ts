import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  createJiraSimulator,
  DEMO_ACCOUNT,
  DEMO_SITE,
  type RunningServer,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import { type CapturedOutput, captureOutput } from "../leak/output-capture.ts"
import { ADMIN, type App, Client, type FreshDatabase, freshDatabase, startApp } from "../support/reliability.ts"

/**
 * The app as started in production, with an OTLP receiver of our own on loopback (what a collector would
 * get), `/metrics` scraped over HTTP, and LOG_FORMAT=json: one page view seen from all three sides.
 */
const METRICS_TOKEN = "metrics-token-0123456789abcdef"

interface OtlpSpan {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
}

/** A node:http OTLP/HTTP JSON receiver: keeps every body posted to /v1/traces and /v1/metrics. */
const startReceiver = async () => {
  const bodies: Record<string, Array<unknown>> = { "/v1/traces": [], "/v1/metrics": [] }
  const server: Server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      bodies[req.url ?? ""]?.push(JSON.parse(Buffer.concat(chunks).toString("utf8")))
      res.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((r) => server.close(r)) }
}

const spansIn = (bodies: ReadonlyArray<unknown>): Array<OtlpSpan> =>
  bodies.flatMap((body) =>
    (body as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<OtlpSpan> }> }> }).resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans)
    )
  )

const metricNamesIn = (bodies: ReadonlyArray<unknown>): Set<string> =>
  new Set(
    bodies.flatMap((body) =>
      (
        body as { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }> }
      ).resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.name)))
    )
  )

let simulator: RunningServer
let receiver: Awaited<ReturnType<typeof startReceiver>>
let database: FreshDatabase
let app: App
let client: Client
let output: CapturedOutput

beforeAll(async () => {
  simulator = await startJiraSimulatorServer(createJiraSimulator({ now: () => new Date() }), {
    port: 0,
    host: "127.0.0.1"
  })
  receiver = await startReceiver()
  database = await freshDatabase()
  output = captureOutput()
  app = await startApp(database, {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOG_FORMAT: "json",
      LOG_LEVEL: "Debug",
      // Loopback left out: this test's own requests must bring the token.
      METRICS_ALLOW: "10.0.0.0/8",
      METRICS_TOKEN
    },
    start: { routeHosts: { [new URL(DEMO_SITE).host]: simulator.url } }
  })
  client = new Client(app.url)
  await client.signIn(ADMIN.email, ADMIN.password)
  const credential = await client.send("POST", "/api/v1/credentials", {
    type: "application/json",
    body: JSON.stringify({ name: "Demo bot", username: DEMO_ACCOUNT.email, token: DEMO_ACCOUNT.apiToken })
  })
  const { id: credentialId } = credential.json() as { id: string }
  const connected = await client.send("POST", "/api/v1/jira/config", {
    type: "application/json",
    body: JSON.stringify({ name: "Demo Jira", baseUrl: DEMO_SITE, credentialId, defaultJql: "project = DEMO" })
  })
  if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${connected.text}`)
}, 120_000)

afterAll(async () => {
  output?.restore()
  await app?.close()
  await receiver?.close()
  await simulator?.close()
  await database?.drop()
})

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) =>
  fetch(`${app.url}/metrics`, { headers })

describe("observability", () => {
  it("/metrics answers the configured addresses or the bearer token, and no one else", async () => {
    // 127.0.0.1 is not in METRICS_ALLOW here: refused, as any other address would be.
    expect((await scrape({})).status).toBe(404)
    expect((await scrape({ authorization: "Bearer not-the-metrics-token-at-all" })).status).toBe(404)
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(404)
    // A forwarded header names no peer: only the socket's own address counts.
    expect((await scrape({ "x-forwarded-for": "10.0.0.1" })).status).toBe(404)
    expect((await scrape()).status).toBe(200)
  })

  it("a page view shows on /metrics, in OTLP traces and metrics, and in JSON logs under one trace id", async () => {
    const home = await client.send("GET", "/")
    expect(home.status).toBe(200)
    // The same Jira questions again, by the API: answered from the Jira cache.
    expect((await client.send("GET", "/api/v1/jira/summary")).status).toBe(200)

    const scraped = await scrape()
    expect(scraped.status).toBe(200)
    expect(scraped.headers.get("content-type")).toContain("text/plain")
    const text = await scraped.text()
    expect(text).toMatch(
      /^jira_requests_total\{operation="POST \/rest\/api\/3\/search\/approximate-count",outcome="200"\} [1-9]/m
    )
    expect(text).toMatch(
      /^jira_request_duration_seconds_bucket\{operation="POST \/rest\/api\/3\/search\/approximate-count",le="\+Inf"\} [1-9]/m
    )
    expect(text).toMatch(/^jira_cache_lookups_total\{result="miss"\} [1-9]/m)
    expect(text).toMatch(/^jira_cache_lookups_total\{result="hit"\} [1-9]/m)
    expect(text).toMatch(/^http_server_request_duration_seconds_count\{route="\/",method="GET",status="200"\} 1$/m)
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{route="\/api\/v1\/jira\/summary",method="GET",status="200"\} 1$/m
    )
    expect(text).toMatch(/^db_pool_max_connections\{driver="(pglite|postgres)"\} [1-9]/m)
    expect(text).toMatch(/^db_pool_in_flight\{driver="(pglite|postgres)"\} 0$/m)
    // Neither the Jira token nor the metrics token is part of what is exported.
    expect(text).not.toContain(DEMO_ACCOUNT.apiToken)
    expect(text).not.toContain(METRICS_TOKEN)

    const logs = output.lines.flatMap((line) => line.split("\n")).filter((line) => line.startsWith("{"))
    const homeLog = logs
      .map((line) => JSON.parse(line) as { message: unknown; annotations: Record<string, unknown>; traceId?: string })
      .find((entry) => entry.message === "request" && entry.annotations.path === "/")
    expect(homeLog?.traceId).toMatch(/^[0-9a-f]{32}$/)

    // Closing flushes the exporters: what a collector holds after a graceful stop.
    await app.close()
    const spans = spansIn(receiver.bodies["/v1/traces"] ?? [])
    const server = spans.find((span) => span.name === "GET /" && span.traceId === homeLog?.traceId)
    expect(server).toBeDefined()
    // The use case and the adapter's Jira call are in the page view's trace.
    const inTrace = new Set(spans.filter((span) => span.traceId === server?.traceId).map((span) => span.name))
    expect(inTrace).toContain("IssueSourceJiraCloud.countIssues")
    const names = metricNamesIn(receiver.bodies["/v1/metrics"] ?? [])
    expect(
      ["jira_requests_total", "jira_cache_lookups_total", "http_server_request_duration_seconds"].filter(
        (n) => !names.has(n)
      )
    ).toEqual([])
    const exported = JSON.stringify([receiver.bodies["/v1/traces"], receiver.bodies["/v1/metrics"]])
    expect(exported).not.toContain(DEMO_ACCOUNT.apiToken)
    expect(exported).not.toContain(ADMIN.password)
  })
})
