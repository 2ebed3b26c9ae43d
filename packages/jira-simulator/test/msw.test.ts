import { setupServer } from "msw/node"
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { basicAuthHeader } from "../src/auth.ts"
import { DEMO_ACCOUNT, DEMO_SITE } from "../src/demo.ts"
import { jiraSimulatorHandlers } from "../src/msw.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import { TEST_NOW } from "./support/simulator.ts"

const sim = createJiraSimulator({ now: () => TEST_NOW })
const other = createJiraSimulator({
  site: "https://other.atlassian.net",
  now: () => TEST_NOW,
  dataset: { ...sim.data, projects: [] }
})
const server = setupServer(...jiraSimulatorHandlers(sim), ...jiraSimulatorHandlers(other))

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => {
  sim.faults.clear()
  sim.resetCalls()
})
afterAll(() => server.close())

const auth = { authorization: basicAuthHeader(DEMO_ACCOUNT) }

describe("the msw transport", () => {
  it("answers fetch calls to the site", async () => {
    const response = await fetch(`${DEMO_SITE}/rest/api/3/myself`, { headers: auth })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ displayName: "Demo Bot" })
    expect(sim.countCalls({ path: "/rest/api/3/myself" })).toBe(1)
  })

  it("passes POST bodies through", async () => {
    const response = await fetch(`${DEMO_SITE}/rest/api/3/search/jql`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ jql: "project = DEMO ORDER BY key", fields: ["summary"], maxResults: 1 })
    })
    expect(await response.json()).toMatchObject({ issues: [{ key: "DEMO-1" }], isLast: false })
  })

  it("keeps several sites apart", async () => {
    const response = await fetch("https://other.atlassian.net/rest/api/3/project/search", { headers: auth })
    expect(await response.json()).toMatchObject({ total: 0 })
    expect(sim.calls).toHaveLength(0)
  })

  it("turns a dropped connection into a fetch network error", async () => {
    sim.faults.push({ kind: "connectionReset" })
    await expect(fetch(`${DEMO_SITE}/rest/api/3/myself`, { headers: auth })).rejects.toThrow(TypeError)
  })

  it("hangs until the client aborts", async () => {
    sim.faults.push({ kind: "hang" })
    await expect(
      fetch(`${DEMO_SITE}/rest/api/3/myself`, { headers: auth, signal: AbortSignal.timeout(50) })
    ).rejects.toThrow()
  })

  it("delivers 429 headers", async () => {
    sim.faults.push({ kind: "rateLimit", retryAfter: 0, reason: "jira-quota-tenant-based" })
    const response = await fetch(`${DEMO_SITE}/rest/api/3/myself`, { headers: auth })
    expect(response.status).toBe(429)
    expect(response.headers.get("retry-after")).toBe("0")
    expect(response.headers.get("ratelimit-reason")).toBe("jira-quota-tenant-based")
  })

  it("leaves other hosts unhandled, so they fail loudly", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {})
    await expect(fetch("https://unknown.atlassian.net/rest/api/3/myself")).rejects.toThrow()
    expect(quiet).toHaveBeenCalled()
    quiet.mockRestore()
  })
})
