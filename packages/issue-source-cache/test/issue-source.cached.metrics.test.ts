import { describe, expect, it } from "@effect/vitest"
import { type JiraConnection, JiraMetrics } from "@sciple/jira-core"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN, makeFakeIssueSource } from "@sciple/jira-core/testing"
import { Effect, Metric, Redacted } from "effect"
import { cached } from "../src/issue-source.cached.ts"

const connection: JiraConnection = {
  site: FAKE_SITE,
  email: FAKE_EMAIL,
  token: Redacted.make(FAKE_TOKEN),
  cacheKey: "cfg@1/cred@1"
}

const lookups = (result: string) =>
  Metric.value(Metric.withAttributes(JiraMetrics.jiraCacheLookups, { result })).pipe(Effect.map((s) => s.count))

describe("IssueSource cache metrics", () => {
  it.effect("counts misses, hits and the requests that waited on an identical one in flight", () =>
    Effect.gen(function* () {
      const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
      // Jira takes its time: the other requests arrive while the first is in flight.
      const slow = { ...fake.source, searchIssues: fake.source.searchIssues }
      slow.searchIssues = (c, s) => Effect.andThen(Effect.yieldNow, fake.source.searchIssues(c, s))
      const source = cached(slow, { ttlSeconds: 60 }).service
      const search = { jql: 'project = "ALPHA"', pageSize: 50, pageToken: null }
      yield* Effect.all(
        Array.from({ length: 20 }, () => source.searchIssues(connection, search)),
        { concurrency: "unbounded" }
      )
      yield* source.searchIssues(connection, search)
      expect(fake.calls).toHaveLength(1)
      expect(yield* lookups("miss")).toBe(1)
      expect(yield* lookups("hit")).toBe(1)
      expect((yield* Metric.value(JiraMetrics.jiraSingleFlightWaits)).count).toBe(19)
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map()))
  )
})
