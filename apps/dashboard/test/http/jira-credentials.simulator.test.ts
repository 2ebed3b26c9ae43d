import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_ACCOUNT_SCOPED, DEMO_SITE } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { setupServer } from "msw/node"
import { makeTestApp, type TestApp } from "../support/harness.ts"

/**
 * Real Jira's credential answers end to end, over HTTP through the real adapter to the simulator: a scoped token
 * the site refuses finds and records the gateway route, and every surface reads there; a revoked one is refused.
 */

const WORK_ONLY_TOKEN = "demo-scoped-work-only-token"
const REVOKED_TOKEN = "demo-revoked-token"
const CREDENTIAL_REFUSED = "The Jira credential was refused: check the token or create a new one."
const sim = createJiraSimulator({
  accounts: [
    DEMO_ACCOUNT_SCOPED,
    { ...DEMO_ACCOUNT, apiToken: WORK_ONLY_TOKEN, scopes: ["read:jira-work"] },
    { ...DEMO_ACCOUNT, apiToken: REVOKED_TOKEN, revoked: true }
  ]
})
const server = setupServer(...jiraSimulatorHandlers(sim))
let t: TestApp
let cookie: string

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
beforeEach(async () => {
  t = await makeTestApp({ issueSource: IssueSourceJiraCloud.layerFetch() })
  cookie = await t.signIn("admin")
})
afterEach(async () => {
  sim.resetCalls()
  await t.dispose()
})
afterAll(() => server.close())

/** Adds a credential for `token`, connects workspace 1 to the simulated site with it, and tests the connection. */
const connectAndTest = async (token: string) => {
  const created = await t.form("/manage/credentials", { name: "Jira bot", username: DEMO_ACCOUNT.email, token }, cookie)
  expect(created.status).toBe(303)
  const credential = [...t.world.config.state.credentials.values()][0]
  if (credential === undefined) throw new Error("credential not created")
  const fields = { name: "Demo Jira", baseUrl: DEMO_SITE, credentialId: credential.id, defaultJql: "", version: "" }
  expect((await t.form("/manage/integrations/jira", fields, cookie)).status).toBe(303)
  const tested = await t.form("/manage/integrations/jira/test", fields, cookie, { "HX-Request": "true" })
  return { status: tested.status, html: await tested.text() }
}

describe("a scoped API token", () => {
  it("connects through the gateway, records the cloudId, and reads every surface there", async () => {
    const tested = await connectAndTest(DEMO_ACCOUNT_SCOPED.apiToken)
    expect(tested.status).toBe(200)
    expect(tested.html).toContain("through Atlassian&#39;s API gateway")
    expect(sim.calls.some((call) => call.via === "site" && call.path.startsWith("/rest/") && call.status === 401)).toBe(
      true
    )
    const config = [...t.world.config.state.configs.values()][0]
    expect(config?.route).toBe("gateway")
    expect(config?.cloudId).toBe(sim.cloudId)

    sim.resetCalls()
    for (const path of [
      "/",
      "/fragments/jira-widget",
      "/projects",
      "/fragments/projects",
      "/projects/DEMO",
      "/fragments/projects/DEMO/issues"
    ]) {
      const before = sim.calls.length
      const response = await t.request(path, { cookie })
      expect(response.status, path).toBe(200)
      expect(await response.text(), path).not.toContain("error-panel")
      expect(sim.calls.length, path).toBeGreaterThan(before)
    }
    const gateway = sim.calls.filter((call) => call.via === "gateway")
    expect(gateway.length).toBe(sim.calls.length)
    expect(gateway.every((call) => call.accountId === DEMO_ACCOUNT_SCOPED.accountId && call.status === 200)).toBe(true)
    expect(sim.calls.filter((call) => call.via === "site" && call.path.startsWith("/rest/"))).toEqual([])
  })

  it("missing a scope is told which one, by name", async () => {
    const tested = await connectAndTest(WORK_ONLY_TOKEN)
    expect(tested.html).toContain("read:jira-user")
    expect(tested.html).not.toContain(WORK_ONLY_TOKEN)
    expect([...t.world.config.state.configs.values()][0]?.route).toBeNull()
  })
})

describe("a revoked token", () => {
  it("is refused on the project page and the API, never read as a missing project", async () => {
    const tested = await connectAndTest(REVOKED_TOKEN)
    expect(tested.html).toContain(CREDENTIAL_REFUSED)
    const page = await t.request("/projects/DEMO", { cookie })
    expect(page.status).toBe(502)
    const html = await page.text()
    expect(html).toContain(CREDENTIAL_REFUSED)
    expect(html).not.toContain("No Jira project")
    const api = await t.request("/api/v1/jira/projects/DEMO", { cookie })
    expect(api.status).toBe(502)
    expect(await api.json()).toMatchObject({ code: "JiraUnauthorized", detail: CREDENTIAL_REFUSED })
    expect(sim.calls.every((call) => call.accountId === null)).toBe(true)
  })
})
