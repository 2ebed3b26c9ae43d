import { setupServer } from "msw/node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { basicAuthHeader } from "../src/auth.ts"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_SCOPED, DEMO_SITE } from "../src/demo.ts"
import { ATLASSIAN_GATEWAY, jiraSimulatorHandlers } from "../src/msw.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import type { SimAccount } from "../src/types.ts"
import { TEST_NOW } from "./support/simulator.ts"

const SCOPE_MISMATCH = { code: 401, message: "Unauthorized; scope does not match" }
const NO_USER_SCOPE: SimAccount = { ...DEMO_ACCOUNT_SCOPED, apiToken: "work-only", scopes: ["read:jira-work"] }
const GRANULAR: SimAccount = {
  ...DEMO_ACCOUNT_SCOPED,
  apiToken: "granular",
  scopes: [
    "read:issue-details:jira",
    "read:field.default-value:jira",
    "read:field.option:jira",
    "read:field:jira",
    "read:group:jira"
  ]
}
const EXPIRED: SimAccount = { ...DEMO_ACCOUNT_SCOPED, apiToken: "expired", expiresAt: "2026-10-01T00:00:00.000Z" }

const sim = createJiraSimulator({
  now: () => TEST_NOW,
  accounts: [DEMO_ACCOUNT, DEMO_ACCOUNT_SCOPED, NO_USER_SCOPE, GRANULAR, EXPIRED]
})
const other = createJiraSimulator({ site: "https://other.atlassian.net", now: () => TEST_NOW })
const server = setupServer(...jiraSimulatorHandlers(sim), ...jiraSimulatorHandlers(other))
beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterAll(() => server.close())

const gateway = (origin = ATLASSIAN_GATEWAY, cloudId = sim.cloudId) => `${origin}/ex/jira/${cloudId}/rest/api/3`
const as = (account: SimAccount) => ({ authorization: basicAuthHeader(account) })
const searchInit = (account: SimAccount, jql = "project = DEMO"): RequestInit => ({
  method: "POST",
  headers: { ...as(account), "content-type": "application/json" },
  body: JSON.stringify({ jql, fields: ["summary"], maxResults: 5 })
})

describe("GET /_edge/tenant_info", () => {
  it("gives a stable uuid cloudId without credentials", async () => {
    const response = await fetch(`${DEMO_SITE}/_edge/tenant_info`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ cloudId: sim.cloudId })
    expect(sim.cloudId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(createJiraSimulator({ now: () => TEST_NOW }).cloudId).toBe(sim.cloudId)
    expect(other.cloudId).not.toBe(sim.cloudId)
  })
})

describe("the gateway route", () => {
  it("serves the same API to a classic token, with the site's links", async () => {
    const site = await (await fetch(`${DEMO_SITE}/rest/api/3/search/jql`, searchInit(DEMO_ACCOUNT))).json()
    const response = await fetch(`${gateway()}/search/jql`, searchInit(DEMO_ACCOUNT))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(site)
    expect(sim.calls.at(-1)).toMatchObject({ path: "/rest/api/3/search/jql", via: "gateway", status: 200 })
  })

  it("keeps two simulated sites apart by cloudId", async () => {
    const mine = await fetch(`${gateway()}/myself`, { headers: as(DEMO_ACCOUNT) })
    const theirs = await fetch(`${gateway(ATLASSIAN_GATEWAY, other.cloudId)}/myself`, { headers: as(DEMO_ACCOUNT) })
    expect(mine.status).toBe(200)
    expect(theirs.status).toBe(200)
    expect(((await theirs.json()) as { self: string }).self).toContain("https://other.atlassian.net/")
  })

  it("answers 404 for an unknown cloudId", async () => {
    const response = await fetch(`${gateway(ATLASSIAN_GATEWAY, "00000000-0000-4000-a000-000000000000")}/myself`, {
      headers: as(DEMO_ACCOUNT)
    })
    expect(response.status).toBe(404)
  })

  it("can be intercepted on another origin", async () => {
    const custom = createJiraSimulator({ site: "https://custom.atlassian.net", now: () => TEST_NOW })
    server.use(...jiraSimulatorHandlers(custom, { gatewayUrl: "https://gateway.test" }))
    const response = await fetch(`${gateway("https://gateway.test", custom.cloudId)}/myself`, {
      headers: as(DEMO_ACCOUNT)
    })
    expect(response.status).toBe(200)
  })
})

describe("scoped API tokens", () => {
  it("are refused on the site URL with 'scope does not match'", async () => {
    for (const path of ["/rest/api/3/myself", "/rest/api/3/project/search"]) {
      const response = await fetch(`${DEMO_SITE}${path}`, { headers: as(DEMO_ACCOUNT_SCOPED) })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual(SCOPE_MISMATCH)
    }
    const search = await fetch(`${DEMO_SITE}/rest/api/3/search/jql`, searchInit(DEMO_ACCOUNT_SCOPED))
    expect(search.status).toBe(401)
  })

  it("read every surface through the gateway with the classic scopes", async () => {
    const calls: Array<[string, RequestInit]> = [
      [`${gateway()}/myself`, { headers: as(DEMO_ACCOUNT_SCOPED) }],
      [`${gateway()}/search/jql`, searchInit(DEMO_ACCOUNT_SCOPED)],
      [`${gateway()}/search/jql?jql=project%3DDEMO&fields=key`, { headers: as(DEMO_ACCOUNT_SCOPED) }],
      [
        `${gateway()}/search/approximate-count`,
        {
          method: "POST",
          headers: { ...as(DEMO_ACCOUNT_SCOPED), "content-type": "application/json" },
          body: JSON.stringify({ jql: "project = DEMO" })
        }
      ],
      [`${gateway()}/project/search?keys=DEMO`, { headers: as(DEMO_ACCOUNT_SCOPED) }],
      [`${gateway()}/project/DEMO`, { headers: as(DEMO_ACCOUNT_SCOPED) }],
      [
        `${gateway()}/jql/parse`,
        {
          method: "POST",
          headers: { ...as(DEMO_ACCOUNT_SCOPED), "content-type": "application/json" },
          body: JSON.stringify({ queries: ["project = DEMO"] })
        }
      ]
    ]
    for (const [url, init] of calls) expect((await fetch(url, init)).status, url).toBe(200)
  })

  it("need every scope of one of the operation's scope sets", async () => {
    const myself = await fetch(`${gateway()}/myself`, { headers: as(NO_USER_SCOPE) })
    expect(myself.status).toBe(401)
    expect(await myself.json()).toEqual(SCOPE_MISMATCH)
    expect((await fetch(`${gateway()}/search/jql`, searchInit(NO_USER_SCOPE))).status).toBe(200)
    // The granular set of the POST search, but not of project search.
    expect((await fetch(`${gateway()}/search/jql`, searchInit(GRANULAR))).status).toBe(200)
    const projects = await fetch(`${gateway()}/project/search`, { headers: as(GRANULAR) })
    expect(projects.status).toBe(401)
    expect(await projects.json()).toEqual(SCOPE_MISMATCH)
  })

  it("are refused with 401 once expired", async () => {
    for (const url of [`${gateway()}/myself`, `${gateway()}/project/search`]) {
      const response = await fetch(url, { headers: as(EXPIRED) })
      expect(response.status).toBe(401)
      expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
    }
  })
})
