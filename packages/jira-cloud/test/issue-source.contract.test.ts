import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { type JiraConnection, SiteUrl } from "@sciple/jira-core"
import { type IssueSourceFixture, issueSourceContract } from "@sciple/jira-core/contracts"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_SITE, type FaultRule } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { setupServer } from "msw/node"
import * as IssueSourceJiraCloud from "../src/issue-source.jira-cloud.ts"
import { makeSource } from "./support/jira-msw.ts"

const sim = createJiraSimulator()

const server = setupServer(...jiraSimulatorHandlers(sim))
beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const connection: JiraConnection = {
  site: SiteUrl.make(DEMO_SITE),
  email: DEMO_ACCOUNT.email,
  token: Redacted.make(DEMO_ACCOUNT.apiToken),
  cacheKey: "demo:1"
}

const fixture: IssueSourceFixture = {
  connection,
  wrongToken: { ...connection, token: Redacted.make("not-the-token") },
  accountEmail: DEMO_ACCOUNT.emailAddress,
  bigProjectKey: "DEMO",
  missingProjectKey: "NOPE"
}

issueSourceContract(
  "Jira Cloud REST v3 against the simulator, through msw",
  () => IssueSourceJiraCloud.layerFetch(),
  fixture
)

describe("the simulator's faults map to typed errors", () => {
  const search = { jql: "project = DEMO ORDER BY key", pageSize: 10, pageToken: null }
  const cases: ReadonlyArray<readonly [FaultRule, Partial<Record<string, unknown>>]> = [
    [{ kind: "html404" }, { _tag: "JiraSiteNotFound" }],
    [{ kind: "authDenied" }, { _tag: "JiraForbidden", reason: "captcha" }],
    [{ kind: "malformedJson" }, { _tag: "JiraUnexpectedResponse" }],
    [{ kind: "truncatedJson" }, { _tag: "JiraUnexpectedResponse" }],
    [{ kind: "connectionReset" }, { _tag: "JiraUnavailable", reason: "network" }],
    [
      { kind: "status", status: 502 },
      { _tag: "JiraUnavailable", reason: "server", status: 502 }
    ],
    [
      { kind: "status", status: 504 },
      { _tag: "JiraUnavailable", reason: "server", status: 504 }
    ],
    [
      { kind: "rateLimit", retryAfter: 3, reason: "jira-burst-based" },
      { _tag: "JiraRateLimited", reason: "jira-burst-based" }
    ]
  ]
  for (const [fault, expected] of cases) {
    it.effect(`${fault.kind}${"status" in fault ? ` ${fault.status}` : ""}`, () =>
      Effect.gen(function* () {
        sim.faults.clear()
        sim.faults.push({ ...fault, path: "/rest/api/3/search/jql" })
        const source = yield* makeSource({ retry: { maxRetries: 0 } })
        const error = yield* source.searchIssues(connection, search).pipe(Effect.flip)
        expect(error).toMatchObject(expected)
      })
    )
  }

  it.effect("a 401 from a wrong token, and the removed /search never called", () =>
    Effect.gen(function* () {
      sim.resetCalls()
      const source = yield* makeSource()
      expect((yield* source.getAccount(fixture.wrongToken).pipe(Effect.flip))._tag).toBe("JiraUnauthorized")
      yield* source.searchIssues(connection, search)
      expect(sim.countCalls({ path: "/rest/api/3/search" })).toBe(0)
      expect(sim.countCalls({ path: "/rest/api/3/search/jql" })).toBe(1)
    })
  )

  it.effect("a quota limit retried after its reset recovers", () =>
    Effect.gen(function* () {
      sim.faults.clear()
      sim.faults.push({
        kind: "rateLimit",
        retryAfter: null,
        reason: "jira-quota-tenant-based",
        reset: new Date(Date.now() + 50).toISOString(),
        path: "/rest/api/3/search/approximate-count"
      })
      const source = yield* makeSource()
      expect((yield* source.countIssues(connection, "project = DEMO")).value).toBe(150)
    }).pipe(TestClock.withLive)
  )
})
