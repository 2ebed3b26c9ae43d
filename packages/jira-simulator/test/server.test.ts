import { request as httpRequest } from "node:http"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { basicAuthHeader } from "../src/auth.ts"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_SCOPED, DEMO_SITE } from "../src/demo.ts"
import { type RunningServer, startJiraSimulatorServer } from "../src/server.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import { TEST_NOW } from "./support/simulator.ts"

const sim = createJiraSimulator({ now: () => TEST_NOW })
let server: RunningServer

beforeAll(async () => {
  server = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
})
afterEach(() => {
  sim.faults.clear()
  sim.resetCalls()
})
afterAll(async () => {
  await server.close()
})

const auth = { authorization: basicAuthHeader(DEMO_ACCOUNT) }

/** A raw request with a chosen Host header, as a proxy routing the real site here would send. */
const rawGet = (path: string, host: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { headers: { ...auth, host } }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => {
        body += chunk
      })
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on("error", reject)
    req.end()
  })

describe("the HTTP server transport", () => {
  it("serves the gateway route and tenant_info on its own origin", async () => {
    const gateway = `${server.url}/ex/jira/${sim.cloudId}/rest/api/3`
    const scoped = await fetch(`${gateway}/myself`, {
      headers: { authorization: basicAuthHeader(DEMO_ACCOUNT_SCOPED) }
    })
    expect(scoped.status).toBe(200)
    expect(await scoped.json()).toMatchObject({
      accountId: DEMO_ACCOUNT.accountId,
      self: expect.stringContaining(DEMO_SITE)
    })
    const onSite = await fetch(`${server.url}/rest/api/3/myself`, {
      headers: { authorization: basicAuthHeader(DEMO_ACCOUNT_SCOPED) }
    })
    expect(onSite.status).toBe(401)
    expect((await fetch(`${server.url}/ex/jira/nope/rest/api/3/myself`, { headers: auth })).status).toBe(404)
    expect(await (await fetch(`${server.url}/_edge/tenant_info`)).json()).toEqual({ cloudId: sim.cloudId })
  })

  it("listens on loopback with a free port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
  })

  it("answers fetch calls with the site's links", async () => {
    const response = await fetch(`${server.url}/rest/api/3/myself`, { headers: auth })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { self: string; displayName: string }
    expect(body.displayName).toBe("Demo Bot")
    expect(body.self.startsWith(`${DEMO_SITE}/rest/api/3/user`)).toBe(true)
  })

  it("accepts any Host header and still speaks as the configured site", async () => {
    const { status, body } = await rawGet("/rest/api/3/project/search?maxResults=1", "demo.atlassian.net")
    expect(status).toBe(200)
    expect(JSON.parse(body)).toMatchObject({ self: expect.stringMatching(/^https:\/\/demo\.atlassian\.net\//) })
  })

  it("passes POST bodies and error statuses through", async () => {
    const response = await fetch(`${server.url}/rest/api/3/search/jql`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ jql: "ORDER BY key" })
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      errorMessages: ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
      errors: {}
    })
  })

  it("answers 401 with Jira's header over the wire", async () => {
    const response = await fetch(`${server.url}/rest/api/3/myself`)
    expect(response.status).toBe(401)
    expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
  })

  it("resets the connection", async () => {
    sim.faults.push({ kind: "connectionReset" })
    await expect(fetch(`${server.url}/rest/api/3/myself`, { headers: auth })).rejects.toThrow(TypeError)
    expect((await fetch(`${server.url}/rest/api/3/myself`, { headers: auth })).status).toBe(200)
  })

  it("hangs until the client gives up", async () => {
    sim.faults.push({ kind: "hang" })
    await expect(
      fetch(`${server.url}/rest/api/3/myself`, { headers: auth, signal: AbortSignal.timeout(100) })
    ).rejects.toThrow()
    expect((await fetch(`${server.url}/rest/api/3/myself`, { headers: auth })).status).toBe(200)
  })

  it("sends a truncated body", async () => {
    sim.faults.push({ kind: "truncatedJson" })
    const response = await fetch(`${server.url}/rest/api/3/myself`, { headers: auth })
    expect(response.status).toBe(200)
    await expect(response.json()).rejects.toThrow(SyntaxError)
  })

  it("closes while a request hangs", async () => {
    const extra = await startJiraSimulatorServer(sim)
    sim.faults.push({ kind: "hang" })
    const pending = fetch(`${extra.url}/rest/api/3/myself`, { headers: auth }).then(
      () => "answered",
      () => "failed"
    )
    await new Promise((r) => setTimeout(r, 50))
    await extra.close()
    expect(await pending).toBe("failed")
  })
})
