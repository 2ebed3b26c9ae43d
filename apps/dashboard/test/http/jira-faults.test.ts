import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { createJiraSimulator, type FaultRule } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { HttpResponse, http } from "msw"
import { setupServer } from "msw/node"
import { makeTestApp, type TestApp } from "../support/harness.ts"

/**
 * Jira failing in every way the contract lists, through the real Jira Cloud adapter and the simulator:
 * each surface says what happened in place, the app keeps serving, and it recovers when Jira does.
 */

const sim = createJiraSimulator({
  site: FAKE_SITE,
  accounts: [
    { email: FAKE_EMAIL, apiToken: FAKE_TOKEN, accountId: "acc-bot", displayName: "Acme Bot", emailAddress: FAKE_EMAIL }
  ]
})
const server = setupServer(...jiraSimulatorHandlers(sim))
let t: TestApp
let cookie: string
let projectKey: string

beforeAll(() => {
  server.listen({ onUnhandledFrame: "error" })
  projectKey = sim.data.projects[0]!.key
})
// A fresh app per case: a quota answer rightly pauses the whole site in the adapter until its reset.
beforeEach(async () => {
  t = await makeTestApp({
    issueSource: IssueSourceJiraCloud.layerFetch({
      requestTimeout: "400 millis",
      retry: { maxRetries: 2, initialDelay: "10 millis", maxDelay: "40 millis", maxWait: "5 seconds" }
    })
  })
  cookie = await t.signIn("admin")
  await t.connect(cookie)
})
afterEach(async () => {
  sim.faults.clear()
  server.resetHandlers()
  await t.dispose()
})
afterAll(() => {
  server.close()
})

const always = (rule: FaultRule): FaultRule => ({ ...rule, times: Number.POSITIVE_INFINITY })

const in30s = () => new Date(Date.now() + 30_000).toISOString()

const CASES: ReadonlyArray<{
  name: string
  rule: () => FaultRule
  message: RegExp
  status: number
  recovers: boolean
}> = [
  ...(
    ["jira-burst-based", "jira-quota-tenant-based", "jira-quota-global-based", "jira-per-issue-on-write"] as const
  ).map((reason) => ({
    name: `429 Retry-After 30 (${reason})`,
    rule: () => always({ kind: "rateLimit", retryAfter: 30, reason, reset: in30s() }),
    message: /Jira is rate limiting this site; retrying in (29|30) s\./,
    status: 503,
    // Any 429 pauses the site for its Retry-After on every instance (adr/0024): no recovery within this case.
    recovers: false
  })),
  {
    name: "500",
    recovers: true,
    rule: () => always({ kind: "status", status: 500 }),
    message: /Jira is having trouble \(HTTP 500\)/,
    status: 504
  },
  {
    name: "502",
    recovers: true,
    rule: () => always({ kind: "status", status: 502 }),
    message: /Jira is having trouble \(HTTP 502\)/,
    status: 504
  },
  {
    name: "503",
    recovers: true,
    rule: () => always({ kind: "status", status: 503 }),
    message: /Jira is having trouble \(HTTP 503\)/,
    status: 504
  },
  {
    name: "504",
    recovers: true,
    rule: () => always({ kind: "status", status: 504 }),
    message: /Jira is having trouble \(HTTP 504\)/,
    status: 504
  },
  {
    name: "hung connection",
    recovers: true,
    rule: () => always({ kind: "hang" }),
    message: /Jira did not answer in time\./,
    status: 504
  },
  {
    name: "reset connection",
    recovers: true,
    rule: () => always({ kind: "connectionReset" }),
    message: /Jira could not be reached\./,
    status: 504
  },
  {
    name: "malformed JSON",
    recovers: true,
    rule: () => always({ kind: "malformedJson" }),
    message: /does not understand/,
    status: 502
  },
  {
    name: "truncated JSON",
    recovers: true,
    rule: () => always({ kind: "truncatedJson" }),
    message: /does not understand/,
    status: 502
  },
  {
    name: "HTML 404",
    recovers: true,
    rule: () => always({ kind: "html404" }),
    message: /No Jira Cloud site answered at this URL/,
    status: 502
  },
  {
    name: "CAPTCHA lock",
    recovers: true,
    rule: () => always({ kind: "authDenied" }),
    message: /locked this account/,
    status: 502
  }
]

const textOf = async (path: string) => {
  const res = await t.request(path, { cookie })
  return { status: res.status, html: await res.text() }
}

describe("Jira faults, surface by surface", () => {
  for (const c of CASES) {
    it(`${c.name}: a specific message in place, no stack trace, and recovery`, async () => {
      sim.faults.set({ next: [c.rule()] })
      const home = await textOf("/?refresh=1")
      expect(home.status).toBe(200)
      expect(home.html).toMatch(c.message)
      expect(home.html).toContain("<h1>Home</h1>")
      const projects = await textOf("/projects?refresh=1")
      expect(projects.status).toBe(200)
      expect(projects.html).toMatch(c.message)
      const project = await textOf(`/projects/${projectKey}?refresh=1`)
      expect(project.html).toMatch(c.message)
      const api = await t.request("/api/v1/jira/summary?refresh=1", { cookie })
      expect(api.status).toBe(c.status)
      const problem = (await api.json()) as { detail: string }
      expect(problem.detail).toMatch(c.message)
      if (c.status === 503) expect(["29", "30"]).toContain(api.headers.get("retry-after"))
      for (const html of [home.html, projects.html, project.html]) {
        expect(html).not.toMatch(/\bat .+\.ts:\d+|Error:|FiberFailure|stack/)
      }
      // Surfaces that do not need Jira keep working meanwhile.
      expect((await textOf("/manage/credentials")).status).toBe(200)
      sim.faults.clear()
      if (c.recovers) expect((await textOf("/?refresh=1")).html).toContain("Open issues")
    })
  }

  it("retries a 429 with Retry-After 0 or 1 and shows the data", async () => {
    for (const retryAfter of [0, 1]) {
      sim.faults.set({ next: [{ kind: "rateLimit", retryAfter, reason: "jira-burst-based", times: 1 }] })
      const home = await textOf("/?refresh=1")
      expect(home.html, `Retry-After ${retryAfter}`).toContain("Open issues")
    }
  })

  it("retries a 502 once and shows the data", async () => {
    sim.faults.set({ next: [{ kind: "status", status: 502, times: 1 }] })
    expect((await textOf("/?refresh=1")).html).toContain("Open issues")
  })

  it("maps a 410 (the removed search API) to a clear message", async () => {
    server.use(
      http.post(`${FAKE_SITE}/rest/api/3/search/approximate-count`, () =>
        HttpResponse.json({ errorMessages: ["The requested API has been removed."], errors: {} }, { status: 410 })
      )
    )
    const home = await textOf("/?refresh=1")
    expect(home.html).toMatch(/Jira has removed the API/)
  })
})
