import { afterAll, afterEach, beforeAll, expect, layer } from "@effect/vitest"
import {
  DrizzleDatabase,
  type DrizzleDatabaseShape,
  makeJiraAnswersDrizzle,
  makeSiteLimitsDrizzle
} from "@sciple/drizzle-postgres"
import { testDatabaseLayer, testDriver } from "@sciple/drizzle-postgres/testing"
import { IssueSourceCached } from "@sciple/issue-source-cache"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { IssueSource, type JiraConnection, SiteUrl } from "@sciple/jira-core"
import { FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { createJiraSimulator } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { Effect, Redacted, Schedule } from "effect"
import { HttpResponse, http } from "msw"
import { setupServer } from "msw/node"

/**
 * Several app "instances" (each its own Jira adapter, site limits and in-process cache) on one database, in
 * front of the simulator: the shared tier makes one Jira call of concurrent cold reads, and a rate limit seen
 * by one instance stops every instance's calls to the site (adr/0024).
 */
const sim = createJiraSimulator({
  site: FAKE_SITE,
  accounts: [
    { email: FAKE_EMAIL, apiToken: FAKE_TOKEN, accountId: "acc-bot", displayName: "Acme Bot", emailAddress: FAKE_EMAIL }
  ]
})
const server = setupServer(...jiraSimulatorHandlers(sim))
beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => {
  sim.faults.clear()
  server.resetHandlers()
})
afterAll(() => server.close())

const connection = (): JiraConnection => ({
  site: FAKE_SITE,
  email: FAKE_EMAIL,
  token: Redacted.make(FAKE_TOKEN),
  // A fresh key per test: no test sees another's answers.
  cacheKey: `cfg-${crypto.randomUUID()}@1/cred@1`
})

/**
 * One instance as the app composes it, over `database`. `readMs` delays each answer of the shared tier's reads
 * after they have read (a busy database: what a read returns may be older than what the table holds by then).
 */
const instance = (
  database: DrizzleDatabaseShape,
  options: { readonly pollMs?: number; readonly readMs?: number } = {}
) =>
  Effect.gen(function* () {
    const siteLimits = yield* makeSiteLimitsDrizzle(database)
    const jira = yield* IssueSource.use(Effect.succeed).pipe(
      Effect.provide(
        IssueSourceJiraCloud.layerFetch({
          siteLimits,
          requestTimeout: "5 seconds",
          retry: { maxRetries: 2, initialDelay: "10 millis", maxDelay: "40 millis", maxWait: "5 seconds" }
        })
      )
    )
    const answers = makeJiraAnswersDrizzle(database)
    const readMs = options.readMs ?? 0
    const cache = IssueSourceCached.cached(jira, {
      ttlSeconds: 60,
      shared:
        readMs === 0
          ? answers
          : { ...answers, get: (key, now) => Effect.tap(answers.get(key, now), () => Effect.sleep(readMs)) },
      pollMs: options.pollMs ?? 10
    })
    return { source: cache.service, stats: cache.stats, siteLimits }
  })

/** Waits (up to 10 s) until `condition` holds. */
const until = (condition: Effect.Effect<boolean>) =>
  condition.pipe(
    Effect.flatMap((ok) => (ok ? Effect.void : Effect.fail(new Error("still waiting")))),
    Effect.retry({ schedule: Schedule.spaced("10 millis"), times: 1000 })
  )

layer(testDatabaseLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
  it.effect(`four instances on one ${testDriver()} database: 200 concurrent cold reads, one Jira call`, () =>
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const instances = yield* Effect.all(Array.from({ length: 4 }, () => instance(database)))
        const c = connection()
        sim.faults.set({ latencyMs: 150 })
        const before = sim.countCalls()
        const answers = yield* Effect.all(
          Array.from({ length: 200 }, (_, i) =>
            instances[i % 4]!.source.countIssues(c, `project = ${sim.data.projects[0]!.key}`)
          ),
          { concurrency: "unbounded" }
        )
        expect(sim.countCalls() - before).toBe(1)
        expect(new Set(answers.map((a) => `${a.value}@${a.fetchedAt.getTime()}`)).size).toBe(1)
        expect(instances.map((i) => i.stats.miss).reduce((a, b) => a + b)).toBe(1)
      })
    )
  )

  it.effect(`instances arriving while the answer lands, on one ${testDriver()} database: still one Jira call`, () =>
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        // Reads answer 60 ms late: a waiter reads nothing just before the answer is stored and claims just after.
        // A claim given back as soon as the answer was stored would then be free to it, and it would fetch again.
        const instances = yield* Effect.all(
          Array.from({ length: 8 }, () => instance(database, { pollMs: 1, readMs: 60 }))
        )
        const c = connection()
        const jql = `project = ${sim.data.projects[0]!.key}`
        sim.faults.set({ latencyMs: 100 })
        const before = sim.countCalls()
        const answers = yield* Effect.all(
          instances.map((i, n) =>
            Effect.delay(
              Effect.all(
                Array.from({ length: 10 }, () => i.source.countIssues(c, jql)),
                { concurrency: "unbounded" }
              ),
              `${n * 25} millis`
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(sim.countCalls() - before).toBe(1)
        expect(new Set(answers.flat().map((a) => `${a.value}@${a.fetchedAt.getTime()}`)).size).toBe(1)
        expect(instances.map((i) => i.stats.miss).reduce((a, b) => a + b)).toBe(1)
      })
    )
  )

  it.effect("a quota refusal seen by one instance: no call from any instance until it lifts", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const [a, b] = yield* Effect.all([instance(database), instance(database)])
        const reset = new Date(Date.now() + 30_000).toISOString()
        sim.faults.set({
          next: [
            {
              kind: "rateLimit",
              reason: "jira-quota-tenant-based",
              retryAfter: 30,
              reset,
              times: Number.POSITIVE_INFINITY
            }
          ]
        })
        const before = sim.countCalls()
        const refused = yield* a!.source
          .countIssues(connection(), `project = ${sim.data.projects[0]!.key}`)
          .pipe(Effect.flip)
        expect(refused._tag).toBe("JiraRateLimited")
        expect(sim.countCalls() - before).toBe(1)
        // The notice reaches the other instance...
        yield* until(b!.siteLimits.pauseOf(FAKE_SITE, Date.now()).pipe(Effect.map((p) => p !== null)))
        // ...and an instance started during the pause reads it from the database.
        const late = yield* instance(database)
        const attempts = [a!, b!, late, b!].map((i) =>
          i.source
            .searchIssues(connection(), {
              jql: `project = ${sim.data.projects[0]!.key}`,
              pageSize: 10,
              pageToken: null
            })
            .pipe(Effect.flip)
        )
        const failures = yield* Effect.all(attempts, { concurrency: "unbounded" })
        expect(failures.map((f) => f._tag)).toEqual(Array(4).fill("JiraRateLimited"))
        expect(sim.countCalls() - before).toBe(1)
      })
    )
  )

  it.effect("a call starting right after another instance's refusal, before its notice arrives, is not made", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const a = yield* instance(database)
        // An instance that hears no notice at all: only the row can stop it.
        const b = yield* instance({ ...database, notices: () => Effect.void })
        const site = SiteUrl.make("https://window.atlassian.net")
        const calls: Array<string> = []
        server.use(
          http.post(`${site}/rest/api/3/search/approximate-count`, () => {
            calls.push("count")
            return HttpResponse.json(
              { errorMessages: ["quota"] },
              {
                status: 429,
                headers: {
                  "Retry-After": "30",
                  "RateLimit-Reason": "jira-quota-tenant-based",
                  "X-RateLimit-Reset": new Date(Date.now() + 30_000).toISOString()
                }
              }
            )
          })
        )
        const refused = yield* a.source.countIssues({ ...connection(), site }, "x = 1").pipe(Effect.flip)
        expect(refused._tag).toBe("JiraRateLimited")
        expect(calls).toHaveLength(1)
        const next = yield* b.source.countIssues({ ...connection(), site }, "x = 2").pipe(Effect.flip)
        expect(next._tag).toBe("JiraRateLimited")
        expect(calls).toHaveLength(1)
      })
    )
  )

  it.effect("X-RateLimit-NearLimit seen by one instance slows the site on the others", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const [a, b] = yield* Effect.all([instance(database), instance(database)])
        const site = "https://near.atlassian.net"
        server.use(
          http.post(`${site}/rest/api/3/search/approximate-count`, () =>
            HttpResponse.json({ count: 3 }, { headers: { "X-RateLimit-NearLimit": "true" } })
          )
        )
        expect(yield* b!.siteLimits.slowUntil(site, Date.now())).toBe(0)
        yield* a!.source.countIssues({ ...connection(), site: SiteUrl.make(site) }, "x = 1")
        yield* until(b!.siteLimits.slowUntil(site, Date.now()).pipe(Effect.map((t) => t > Date.now())))
      })
    )
  )
})
