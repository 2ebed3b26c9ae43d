import { beforeEach, describe, expect, it } from "vitest"
import { createJiraSimulator, type JiraSimulator } from "../src/simulator.ts"
import { get, post, TEST_NOW } from "./support/simulator.ts"

const SEARCH = "/rest/api/3/search/jql"
const body = { jql: "project = DEMO ORDER BY key", fields: ["summary"], maxResults: 5 }

let sim: JiraSimulator
beforeEach(() => {
  sim = createJiraSimulator({ now: () => TEST_NOW })
})

describe("rate limits", () => {
  it("answers the next N requests with 429 and Jira's headers, then recovers", async () => {
    sim.faults.set({ next: [{ kind: "rateLimit", retryAfter: 0, reason: "jira-burst-based", times: 2 }] })
    for (let i = 0; i < 2; i++) {
      const response = await post(sim, SEARCH, body)
      expect(response.status).toBe(429)
      expect(response.headers.get("retry-after")).toBe("0")
      expect(response.headers.get("ratelimit-reason")).toBe("jira-burst-based")
      expect(response.headers.get("x-ratelimit-limit")).toBe("100")
      expect(response.headers.get("x-ratelimit-remaining")).toBe("0")
      expect(Date.parse(response.headers.get("x-ratelimit-reset") ?? "")).toBe(TEST_NOW.getTime() + 60_000)
    }
    expect((await post(sim, SEARCH, body)).status).toBe(200)
    expect(sim.faults.pending).toEqual([])
  })

  it.each(["jira-quota-tenant-based", "jira-quota-global-based", "jira-per-issue-on-write", "some-future-reason"])(
    "sends the reason %s",
    async (reason) => {
      sim.faults.push({ kind: "rateLimit", reason, retryAfter: 30, reset: "2026-11-01T13:00:00.000Z" })
      const response = await post(sim, SEARCH, body)
      expect(response.headers.get("ratelimit-reason")).toBe(reason)
      expect(response.headers.get("retry-after")).toBe("30")
      expect(response.headers.get("x-ratelimit-reset")).toBe("2026-11-01T13:00:00.000Z")
    }
  )

  it("can leave Retry-After out", async () => {
    sim.faults.push({ kind: "rateLimit", retryAfter: null })
    const response = await post(sim, SEARCH, body)
    expect(response.status).toBe(429)
    expect(response.headers.has("retry-after")).toBe(false)
  })

  it("can target one path and method, leaving other requests alone", async () => {
    sim.faults.set({ next: [{ kind: "rateLimit", path: SEARCH, method: "POST", times: 1 }] })
    expect((await get(sim, "/rest/api/3/myself")).status).toBe(200)
    expect((await post(sim, "/rest/api/3/search/approximate-count", { jql: "project = DEMO" })).status).toBe(200)
    expect((await post(sim, SEARCH, body)).status).toBe(429)
    expect((await post(sim, SEARCH, body)).status).toBe(200)
  })

  it("can fail every matching request until cleared", async () => {
    sim.faults.set({ next: [{ kind: "status", status: 503, times: Number.POSITIVE_INFINITY }] })
    for (let i = 0; i < 3; i++) expect((await get(sim, "/rest/api/3/myself")).status).toBe(503)
    sim.faults.clear()
    expect((await get(sim, "/rest/api/3/myself")).status).toBe(200)
  })

  it("runs queued faults in order", async () => {
    sim.faults.set({ next: [{ kind: "status", status: 500 }, { kind: "status", status: 502 }, { kind: "html404" }] })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await get(sim, "/rest/api/3/myself")).status)
    expect(statuses).toEqual([500, 502, 404, 200])
  })
})

describe("server errors", () => {
  it.each([500, 502, 503, 504] as const)("answers %i", async (status) => {
    sim.faults.push({ kind: "status", status })
    const response = await post(sim, SEARCH, body)
    expect(response.status).toBe(status)
    const text = await response.text()
    if (status === 502 || status === 504) expect(text).toMatch(/^<html>/)
    else expect(JSON.parse(text)).toHaveProperty("errorMessages")
  })

  it("sends Retry-After on a 503 when asked", async () => {
    sim.faults.push({ kind: "status", status: 503, retryAfter: 5 })
    expect((await post(sim, SEARCH, body)).headers.get("retry-after")).toBe("5")
  })
})

describe("broken bodies and pages", () => {
  it("sends malformed JSON with a JSON content type", async () => {
    sim.faults.push({ kind: "malformedJson" })
    const response = await post(sim, SEARCH, body)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/^application\/json/)
    await expect(response.json()).rejects.toThrow(SyntaxError)
  })

  it("sends the first half of the real body", async () => {
    const full = await (await post(sim, SEARCH, body)).text()
    sim.faults.push({ kind: "truncatedJson" })
    const response = await post(sim, SEARCH, body)
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(full.startsWith(text)).toBe(true)
    expect(text.length).toBe(Math.floor(full.length / 2))
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })

  it("sends the HTML 404 page", async () => {
    sim.faults.push({ kind: "html404" })
    const response = await get(sim, "/rest/api/3/myself")
    expect(response.status).toBe(404)
    expect(await response.text()).toContain("<html")
  })

  it("sends the CAPTCHA lock 403", async () => {
    sim.faults.push({ kind: "authDenied" })
    const response = await get(sim, "/rest/api/3/myself")
    expect(response.status).toBe(403)
    expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATION_DENIED")
    expect(response.headers.get("x-authentication-denied-reason")).toBe(
      "CAPTCHA_CHALLENGE; login-url=https://demo.atlassian.net/login.jsp"
    )
  })

  it("sends the CAPTCHA lock as 401 when asked", async () => {
    sim.faults.push({ kind: "authDenied", status: 401 })
    const response = await get(sim, "/rest/api/3/search/jql?jql=project%3DDEMO")
    expect(response.status).toBe(401)
    expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATION_DENIED")
    expect(response.headers.get("x-authentication-denied-reason")).toMatch(/^CAPTCHA_CHALLENGE; login-url=/)
  })

  it("drops the connection as a network error", async () => {
    sim.faults.push({ kind: "connectionReset" })
    const response = await get(sim, "/rest/api/3/myself")
    expect(response.type).toBe("error")
    expect(sim.calls[0]?.status).toBeNull()
  })
})

describe("time", () => {
  it("adds latency to every response", async () => {
    sim.faults.set({ latencyMs: 40 })
    const started = performance.now()
    await get(sim, "/rest/api/3/myself")
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
    sim.faults.latencyMs = 0
    expect(sim.faults.latencyMs).toBe(0)
  })

  it("stops waiting out latency when the request is aborted", async () => {
    sim.faults.set({ latencyMs: 60_000 })
    const controller = new AbortController()
    const pending = get(sim, "/rest/api/3/myself", undefined, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toThrow()
  })

  it("hangs until the request is aborted", async () => {
    sim.faults.push({ kind: "hang" })
    const controller = new AbortController()
    const pending = get(sim, "/rest/api/3/myself", undefined, { signal: controller.signal })
    const outcome = await Promise.race([
      pending.then(() => "answered"),
      new Promise((r) => setTimeout(() => r("waiting"), 50))
    ])
    expect(outcome).toBe("waiting")
    controller.abort(new Error("client gave up"))
    await expect(pending).rejects.toThrow("client gave up")
    expect(sim.calls[0]?.status).toBeNull()
  })
})
