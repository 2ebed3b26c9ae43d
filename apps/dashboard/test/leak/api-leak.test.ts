import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { basicAuthHeader, DEMO_ACCOUNT, DEMO_SITE, type Fault } from "@sciple/jira-simulator"
import { Effect } from "effect"
import { API_ROUTES, type ApiRoute } from "../../src/http/api/routes.ts"
import { ADMIN, type AppUnderTest, startAppUnderTest } from "../browser/app-under-test.ts"
import { auditRows, channelsOf, collectAfterRun, scanAfterRun, scanHeaders } from "./leak-scan.ts"
import { type CapturedOutput, captureOutput } from "./output-capture.ts"
import { derive, LeakScanner, makeSentinel } from "./sentinel.ts"

/**
 * The leak sentinel over the JSON API: the real app (real stores, the encrypted local secret store, the Jira
 * Cloud adapter against the simulator on loopback) driven through every route of `API_ROUTES` and a
 * credential's whole life with sentinel tokens, including the ways a request can be wrong. No response body
 * or header, log line (at Trace), database row or data file may hold a token; the secret store holds it
 * encrypted only.
 */

const TOKEN = makeSentinel()
/** Every token of the run contains TOKEN, so the scanner's needles find each of them. */
const ROTATED = derive(TOKEN, "rotated")
const REFUSED_BY_JIRA = derive(TOKEN, "refused")
const MISSING_ID = "no-such-credential"
/**
 * Planted on purpose at the end of the run, in every channel the app writes to, so the same scan must find
 * it in each: proof that the channels are captured and scanned, not just that the scanner works.
 */
const PLANTED = makeSentinel("PLANTED")

interface Exchange {
  readonly label: string
  /** `get /api/v1/jira/projects/{key}`, when the request was for a route of the table. */
  readonly route: string | null
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: Buffer
}

let app: AppUnderTest
let output: CapturedOutput
let cookie = ""
const exchanges: Array<Exchange> = []

const routeKey = (route: ApiRoute) => `${route.method} ${route.path}`
const routePatterns = API_ROUTES.map((route) => ({
  key: routeKey(route),
  method: route.method.toUpperCase(),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, "[^/]+")}$`)
}))

const send = async (
  method: string,
  path: string,
  options: {
    readonly body?: string | Uint8Array<ArrayBuffer>
    readonly contentType?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly anonymous?: boolean
  } = {}
) => {
  const headers = new Headers(options.headers)
  if (options.anonymous !== true && cookie !== "") headers.set("cookie", cookie)
  if (method !== "GET") headers.set("origin", app.url)
  if (options.contentType !== undefined) headers.set("content-type", options.contentType)
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(options.body === undefined ? {} : { body: options.body })
  })
  const body = Buffer.from(await response.arrayBuffer())
  const pathname = new URL(path, app.url).pathname
  const route = routePatterns.find((r) => r.method === method && r.pattern.test(pathname))?.key ?? null
  exchanges.push({
    label: `${method} ${path} ${response.status}`,
    route,
    status: response.status,
    headers: [...response.headers],
    body
  })
  return { status: response.status, json: () => JSON.parse(body.toString("utf8")) as Record<string, unknown> }
}

const json = (method: string, path: string, value: unknown) =>
  send(method, path, { body: JSON.stringify(value), contentType: "application/json" })

/** Bodies that are wrong in every way a client gets them wrong, each carrying a token where it does not belong. */
const BAD_BODIES: ReadonlyArray<{
  readonly what: string
  readonly body: string | Uint8Array<ArrayBuffer>
  readonly type: string
}> = [
  {
    what: "unknown fields",
    body: JSON.stringify({ token: TOKEN, apiToken: TOKEN, password: TOKEN, secret: TOKEN }),
    type: "application/json"
  },
  {
    what: "wrong types",
    body: JSON.stringify({
      name: [TOKEN],
      username: { value: TOKEN },
      token: { value: TOKEN },
      baseUrl: [TOKEN],
      credentialId: { id: TOKEN },
      defaultJql: 1,
      version: TOKEN
    }),
    type: "application/json"
  },
  { what: "an array", body: JSON.stringify([TOKEN]), type: "application/json" },
  { what: "malformed JSON", body: `{"token":"${TOKEN}",`, type: "application/json" },
  {
    what: "not UTF-8",
    body: Buffer.concat([Buffer.from(`{"token":"${TOKEN}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    type: "application/json"
  },
  { what: "a form", body: `token=${TOKEN}`, type: "application/x-www-form-urlencoded" },
  { what: "too large", body: JSON.stringify({ token: TOKEN, padding: "x".repeat(70_000) }), type: "application/json" }
]

/** A route's path with its parameters filled in. */
const pathOf = (route: ApiRoute, params: { readonly key: string; readonly id: string }) =>
  route.path.replace("{key}", params.key).replace("{id}", encodeURIComponent(params.id))

/**
 * Every route of the table, so a new route is covered without a change here: reads as they are (and past
 * the cache), deletes aimed at something that does not exist, and every bad body on routes that take one.
 */
const sweep = async (credentialId: string) => {
  for (const route of API_ROUTES) {
    const names = new Set((route.params ?? []).map((p) => p.name))
    const method = route.method.toUpperCase()
    if (route.method === "get") {
      await send(method, pathOf(route, { key: "DEMO", id: credentialId }))
      if (names.has("refresh")) await send(method, `${pathOf(route, { key: "DEMO", id: credentialId })}?refresh=1`)
    } else if (route.method === "delete") {
      const path = pathOf(route, { key: "NOPE", id: MISSING_ID })
      if (names.has("version")) await send(method, `${path}?version=999999`)
      else if (path !== route.path) await send(method, path)
    }
    if (route.body !== undefined) {
      for (const bad of BAD_BODIES) {
        const answer = await send(method, pathOf(route, { key: "DEMO", id: credentialId }), {
          body: bad.body,
          contentType: bad.type
        })
        expect([400, 413, 415, 422], `${routeKey(route)} with ${bad.what}`).toContain(answer.status)
      }
    }
  }
}

/** Every route with a token where a caller's credentials go (Bearer, Basic, session cookie): each is refused. */
const asStranger = async () => {
  const callers: ReadonlyArray<Readonly<Record<string, string>>> = [
    { authorization: `Bearer ${TOKEN}` },
    { authorization: basicAuthHeader({ email: ADMIN.email, apiToken: TOKEN }) },
    { cookie: `sciple_session=${TOKEN}` }
  ]
  for (const route of API_ROUTES) {
    for (const headers of callers) {
      const answer = await send(route.method.toUpperCase(), pathOf(route, { key: "DEMO", id: MISSING_ID }), {
        headers,
        anonymous: true,
        ...(route.body === undefined ? {} : { body: JSON.stringify({ token: TOKEN }), contentType: "application/json" })
      })
      expect(answer.status, `${routeKey(route)} with ${Object.keys(headers)[0]}`).toBe(401)
    }
  }
}

beforeAll(async () => {
  output = captureOutput()
  app = await startAppUnderTest({
    // The simulated site takes TOKEN and ROTATED; REFUSED_BY_JIRA is not among its accounts.
    accounts: [
      { ...DEMO_ACCOUNT, apiToken: TOKEN },
      { ...DEMO_ACCOUNT, apiToken: ROTATED }
    ],
    logLevel: "Trace",
    log: (line) => console.log(line),
    fromTemplate: true
  })
})

afterAll(async () => {
  output?.restore()
  await app?.close()
})

describe("the API token never leaks through the JSON API", () => {
  it("drives every API route, and a credential from creation to deletion with every kind of mistake", async () => {
    await asStranger()
    const login = await send("POST", "/login", {
      body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString(),
      contentType: "application/x-www-form-urlencoded"
    })
    expect(login.status).toBe(303)
    cookie =
      exchanges
        .at(-1)
        ?.headers.find(([name]) => name === "set-cookie")?.[1]
        .split(";")[0] ?? ""
    expect(cookie).toMatch(/^sciple_session=/)

    await sweep(MISSING_ID)

    const credentials = "/api/v1/credentials"
    const created = await json("POST", credentials, { name: "Leak bot", username: DEMO_ACCOUNT.email, token: TOKEN })
    expect(created.status).toBe(201)
    const id = String(created.json().id)
    const refusedCreates = [
      { name: "Leak bot", username: DEMO_ACCOUNT.email, token: TOKEN },
      { name: "Other bot", username: "not-an-email", token: TOKEN },
      { name: "Other bot", username: DEMO_ACCOUNT.email, token: `${TOKEN} ${TOKEN}` },
      { name: "Other bot", username: DEMO_ACCOUNT.email, token: TOKEN.repeat(100) },
      { name: "Other bot", username: DEMO_ACCOUNT.email, token: 4_242 },
      { name: "Other bot", username: DEMO_ACCOUNT.email, token: TOKEN, kind: "oauth" },
      { name: "", username: "", token: TOKEN }
    ]
    for (const body of refusedCreates) expect((await json("POST", credentials, body)).status).toBe(422)

    const testConnection = "/api/v1/jira/config/test"
    for (const baseUrl of [`https://bot:${TOKEN}@demo.atlassian.net`, "http://demo.atlassian.net", ""])
      expect((await json("POST", testConnection, { baseUrl, credentialId: id })).status, baseUrl).toBe(422)
    expect((await json("POST", testConnection, { baseUrl: DEMO_SITE, credentialId: MISSING_ID })).status).toBe(422)
    const tested = await json("POST", testConnection, { baseUrl: DEMO_SITE, credentialId: id })
    expect(tested.json()).toMatchObject({ ok: true, accountEmail: DEMO_ACCOUNT.email })

    const config = "/api/v1/jira/config"
    const connection = { name: "Leak Jira", baseUrl: DEMO_SITE, credentialId: id }
    expect((await json("POST", config, connection)).status).toBe(201)
    expect((await json("POST", config, connection)).status).toBe(409)
    await sweep(id)
    const renamed = await json("PUT", config, { ...connection, name: "Leak Jira (renamed)", version: 1 })
    expect(renamed.status).toBe(200)
    expect((await json("PUT", config, { ...connection, version: 1 })).status).toBe(409)

    // Jira misbehaving: each answer takes its error path (a retry logs a warning) while the token is in use.
    const faults: ReadonlyArray<Fault> = [
      { kind: "rateLimit", retryAfter: 0 },
      // Any 429 pauses the site until its Retry-After (adr/0024): a short one, so the steps below reach Jira again.
      { kind: "rateLimit", retryAfter: 1 },
      { kind: "status", status: 503, retryAfter: 0 },
      { kind: "status", status: 500 },
      { kind: "malformedJson" },
      { kind: "truncatedJson" },
      { kind: "html404" },
      // A dropped connection is left out: it is retried after a 2 s backoff, and its log line is the one above.
      { kind: "authDenied" }
    ]
    for (const fault of faults) {
      app.sim.faults.set({ next: [fault] })
      await send("GET", "/api/v1/jira/summary?refresh=1")
    }
    app.sim.faults.set({})
    await new Promise((resolve) => setTimeout(resolve, 1_100))

    const rotate = `${credentials}/${id}/rotate`
    expect((await json("POST", rotate, { token: ROTATED })).status).toBe(200)
    expect((await json("POST", testConnection, { baseUrl: DEMO_SITE, credentialId: id })).json()).toMatchObject({
      ok: true
    })
    expect((await send("GET", "/api/v1/jira/summary?refresh=1")).status).toBe(200)
    // A token Jira refuses: the failed test is recorded as the connection's health; reads go out with it.
    expect((await json("POST", rotate, { token: REFUSED_BY_JIRA })).status).toBe(200)
    expect((await json("POST", testConnection, { baseUrl: DEMO_SITE, credentialId: id })).json()).toMatchObject({
      ok: false
    })
    await send("GET", "/api/v1/jira/summary?refresh=1")
    await send("GET", "/api/v1/jira/projects/DEMO?refresh=1")
    for (const body of [{ token: `${ROTATED} x` }, { token: [ROTATED] }, { token: ROTATED, previous: TOKEN }, {}])
      expect((await json("POST", rotate, body)).status).toBe(422)
    expect((await json("POST", `${credentials}/${MISSING_ID}/rotate`, { token: ROTATED })).status).toBe(404)
    expect((await json("POST", rotate, { token: ROTATED })).status).toBe(200)
    expect((await send("GET", "/api/v1/jira/summary")).status).toBe(200)

    expect((await send("DELETE", `${credentials}/${id}`)).status).toBe(409)
    expect((await send("DELETE", `${config}?version=x`)).status).toBe(422)
    expect((await send("DELETE", `${config}?version=${String(renamed.json().version)}`)).status).toBe(204)
    expect((await send("DELETE", `${credentials}/${id}`)).status).toBe(204)
    expect((await send("DELETE", `${credentials}/${id}`)).status).toBe(404)

    const firstPage = await send("GET", "/api/v1/audit?limit=2")
    const next = firstPage.json().next as { before_at: string; before_id: string }
    const params = new URLSearchParams({ limit: "2", before_at: next.before_at, before_id: next.before_id })
    expect((await send("GET", `/api/v1/audit?${params}`)).status).toBe(200)
    await sweep(id)

    // Every route answered with success at least once: a route added to the table needs a step above.
    const succeeded = new Set(exchanges.filter((e) => e.status < 300 && e.route !== null).map((e) => e.route))
    expect(API_ROUTES.map(routeKey).filter((key) => !succeeded.has(key))).toEqual([])
    // No defect: an unexpected error would be logged with its cause, and a leak may hide there too.
    expect(exchanges.filter((e) => e.status === 500).map((e) => e.label)).toEqual([])

    // The planted value: a response body, a row and an audit payload (a credential's name), a header (the
    // sign-in redirect's Location), a log line through the app's own logger, and a file of the data folder.
    const plantedToken = derive(PLANTED, "token")
    const planted = await json("POST", credentials, {
      name: PLANTED,
      username: DEMO_ACCOUNT.email,
      token: plantedToken
    })
    expect(planted.status).toBe(201)
    expect((await send("GET", `/projects?q=${PLANTED}`, { anonymous: true })).status).toBe(303)
    await app.running.deps.runtime.runPromise(Effect.logTrace(`planted ${PLANTED}`))
    writeFileSync(join(app.dataDir, "planted.txt"), PLANTED)
  })

  it("finds no token in any response, log line, database row, audit payload or data file, but finds the planted value in each", async () => {
    await app.stop()
    output.restore()
    const after = await collectAfterRun({
      dataDir: app.dataDir,
      database: app.databaseUrl === null ? { dataDir: app.dataDir } : { url: app.databaseUrl }
    })
    const scan = (scanner: LeakScanner) => {
      for (const exchange of exchanges) {
        scanHeaders(scanner, exchange.label, exchange.headers)
        scanner.scan("response", `${exchange.label} body`, exchange.body)
      }
      scanAfterRun(scanner, output.lines, after)
      return scanner
    }
    const scanner = scan(new LeakScanner(TOKEN))
    const control = scan(new LeakScanner(PLANTED))

    expect(scanner.findings).toEqual([])
    expect(channelsOf(control)).toEqual(["audit", "file", "header", "log", "response", "row"])
    if (app.databaseUrl === null) expect(control.findings.some((f) => f.where.startsWith("file: pglite"))).toBe(true)
    // The token is kept encrypted while its credential lives, and deleted with it: only the planted one is left.
    expect(after.secrets).toEqual([derive(PLANTED, "token")])
    expect(
      auditRows(after)
        .map((row) => row.action)
        .sort()
    ).toEqual(
      [
        "CREDENTIAL_CREATED",
        "JIRA_CONFIG_CREATED",
        "JIRA_CONFIG_UPDATED",
        "CREDENTIAL_ROTATED",
        "CREDENTIAL_ROTATED",
        "CREDENTIAL_ROTATED",
        "JIRA_CONFIG_DELETED",
        "CREDENTIAL_DELETED",
        "CREDENTIAL_CREATED"
      ].sort()
    )
    expect(after.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["public.credentials", "public.jira_configs", "drizzle.__drizzle_migrations"])
    )
    expect(output.lines.some((line) => line.includes("Jira request failed; retrying"))).toBe(true)
    const counts = scanner.counts()
    console.info(
      `leak sentinel (${app.databaseUrl === null ? "pglite" : "postgres"}): ${exchanges.length} responses, ` +
        `${output.lines.length} log lines, ${after.tables.length} tables, ` +
        `${after.tables.reduce((n, t) => n + t.rows.length, 0)} rows, ${after.files.length} files, ` +
        `${(counts.bytes / 1e6).toFixed(1)} MB scanned: no token`
    )
  })
})
