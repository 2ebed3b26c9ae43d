import { describe, expect, it } from "@effect/vitest"
import { JiraMetrics } from "@sciple/jira-core"
import { Effect, Exit, Metric } from "effect"
import { HttpResponse, http } from "msw"
import { API, connection, drive, jiraError, makeSource, NO_RETRY, useMsw } from "./support/jira-msw.ts"

const server = useMsw()

const MYSELF = "GET /rest/api/3/myself"

/** A counter's value for one set of labels, in the registry of the effect's context. */
const count = (metric: Metric.Counter<number>, attributes: Record<string, string>) =>
  Metric.value(Metric.withAttributes(metric, attributes)).pipe(Effect.map((state) => state.count))

describe("metrics of the Jira adapter", () => {
  it.effect("counts every exchange by operation and outcome, and each rate-limit pause by reason", () =>
    Effect.gen(function* () {
      let calls = 0
      server.use(
        http.get(`${API}/myself`, () => {
          calls++
          if (calls === 1)
            return HttpResponse.json(jiraError(["Slow down."]), {
              status: 429,
              headers: { "Retry-After": "0", "RateLimit-Reason": "jira-burst-based" }
            })
          return HttpResponse.json({ accountId: "acc-1", displayName: "Bot" })
        })
      )
      const source = yield* makeSource()
      const { exit } = yield* drive(source.getAccount(connection))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(yield* count(JiraMetrics.jiraRequests, { operation: MYSELF, outcome: "429" })).toBe(1)
      expect(yield* count(JiraMetrics.jiraRequests, { operation: MYSELF, outcome: "200" })).toBe(1)
      expect(yield* count(JiraMetrics.jiraRateLimitPauses, { reason: "jira-burst-based" })).toBe(1)
      const latency = yield* Metric.value(Metric.withAttributes(JiraMetrics.jiraRequestSeconds, { operation: MYSELF }))
      expect(latency.count).toBe(2)
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map()))
  )

  it.effect("a network fault counts as `network`, with no pause", () =>
    Effect.gen(function* () {
      server.use(http.get(`${API}/myself`, () => HttpResponse.error()))
      const source = yield* makeSource(NO_RETRY)
      const { exit } = yield* drive(source.getAccount(connection))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* count(JiraMetrics.jiraRequests, { operation: MYSELF, outcome: "network" })).toBe(1)
      expect(yield* count(JiraMetrics.jiraRateLimitPauses, { reason: "unknown" })).toBe(0)
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map()))
  )
})
