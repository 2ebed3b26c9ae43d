import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { IssueSourceCached } from "@sciple/issue-source-cache"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { createJiraSimulator } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { Layer } from "effect"
import { setupServer } from "msw/node"
import { REFRESH_INTERVAL_MS } from "../../src/http/refresh-limit.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"

/**
 * Issue 14, finding 8: `?refresh=1` let any viewer multiply Jira calls (10 refreshes = 50 calls). A person's
 * refresh within a few seconds of their last one in the workspace reuses the cache; counted at the simulator.
 */

const sim = createJiraSimulator({
  site: FAKE_SITE,
  accounts: [
    { email: FAKE_EMAIL, apiToken: FAKE_TOKEN, accountId: "acc-bot", displayName: "Acme Bot", emailAddress: FAKE_EMAIL }
  ]
})
const server = setupServer(...jiraSimulatorHandlers(sim))
let t: TestApp
let viewer: string
let admin: string
let projectKey: string

beforeAll(() => {
  server.listen({ onUnhandledFrame: "error" })
  projectKey = sim.data.projects[0]!.key
})
beforeEach(async () => {
  t = await makeTestApp({
    // The app's own stack: the Jira Cloud adapter behind the answer cache.
    issueSource: IssueSourceCached.layer({ ttlSeconds: 300 }).pipe(
      Layer.provide(IssueSourceJiraCloud.layerFetch({ requestTimeout: "2 seconds" }))
    ),
    refreshIntervalMs: REFRESH_INTERVAL_MS
  })
  admin = await t.signIn("admin")
  await t.connect(admin)
  viewer = await t.signIn("viewer")
})
afterEach(async () => {
  server.resetHandlers()
  await t.dispose()
})
afterAll(() => {
  server.close()
})

const get = async (path: string, cookie: string) => {
  const res = await t.request(path, { cookie })
  expect(res.status).toBe(200)
  return res.text()
}

describe("refresh limited per person and workspace", () => {
  it("10 refreshes by one viewer cost at most one page's worth of Jira calls; the page says so", async () => {
    const page = `/projects/${projectKey}`
    sim.resetCalls()
    await get(page, viewer)
    const onePage = sim.calls.length
    expect(onePage).toBeGreaterThan(0)

    sim.resetCalls()
    const pages: Array<string> = []
    for (let i = 0; i < 10; i++) pages.push(await get(`${page}?refresh=1`, viewer))
    expect(sim.calls.length).toBeGreaterThan(0)
    expect(sim.calls.length).toBeLessThanOrEqual(onePage)
    expect(pages[0]).not.toContain("Refreshed a moment ago")
    for (const later of pages.slice(1)) expect(later).toContain("Refreshed a moment ago")
  })

  it("holds for a simultaneous burst, across surfaces and the API, and leaves other people alone", async () => {
    await get("/", viewer)
    await get(`/projects/${projectKey}`, viewer)
    sim.resetCalls()
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.request(i % 2 === 0 ? `/projects/${projectKey}?refresh=1` : "/api/v1/jira/summary?refresh=1", {
          cookie: viewer
        })
      )
    )
    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200))
    const burstCalls = sim.calls.length
    expect(burstCalls).toBeGreaterThan(0)
    // Only the first of the burst went to Jira: the project page's worth, no more.
    // Another person of the workspace is not limited by the viewer's refreshes: theirs reaches Jira.
    sim.resetCalls()
    expect(await get(`/projects/${projectKey}?refresh=1`, admin)).not.toContain("Refreshed a moment ago")
    expect(sim.calls.length).toBeGreaterThan(0)
    expect(burstCalls).toBeLessThanOrEqual(sim.calls.length)
    expect(await get("/?refresh=1", viewer)).toContain("Refreshed a moment ago")
  })
})
