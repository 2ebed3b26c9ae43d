import { describe, expect, it } from "@effect/vitest"
import { BypassCache, type JiraConnection, JiraUnavailable } from "@sciple/jira-core"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN, makeFakeIssueSource } from "@sciple/jira-core/testing"
import { Effect, Fiber, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { cached } from "../src/issue-source.cached.ts"

const connection = (cacheKey = "cfg@1/cred@1"): JiraConnection => ({
  site: FAKE_SITE,
  email: FAKE_EMAIL,
  token: Redacted.make(FAKE_TOKEN),
  cacheKey
})

const setup = (ttlSeconds = 60) => {
  const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
  const cache = cached(fake.source, { ttlSeconds })
  return { fake, cache, source: cache.service }
}

const JQL = 'project = "ALPHA"'

describe("IssueSource cache", () => {
  it.effect("serves a repeated request from memory until the TTL passes, keeping fetchedAt", () =>
    Effect.gen(function* () {
      const { fake, source } = setup(60)
      const first = yield* source.countIssues(connection(), JQL)
      yield* TestClock.adjust("30 seconds")
      const second = yield* source.countIssues(connection(), JQL)
      expect(fake.calls).toHaveLength(1)
      expect(second.fetchedAt).toEqual(first.fetchedAt)
      yield* TestClock.adjust("31 seconds")
      const third = yield* source.countIssues(connection(), JQL)
      expect(fake.calls).toHaveLength(2)
      expect(third.fetchedAt.getTime()).toBeGreaterThan(first.fetchedAt.getTime())
    })
  )

  it.effect("shares one Jira call among concurrent identical requests", () =>
    Effect.gen(function* () {
      const { fake, cache, source } = setup()
      const results = yield* Effect.all(
        Array.from({ length: 200 }, () =>
          source.searchIssues(connection(), { jql: JQL, pageSize: 100, pageToken: null })
        ),
        { concurrency: "unbounded" }
      )
      expect(fake.calls).toHaveLength(1)
      expect(new Set(results.map((r) => r.value.issues.length)).size).toBe(1)
      expect(cache.stats.miss).toBe(1)
    })
  )

  it.effect("keys by the connection's versions, so a changed configuration or credential misses", () =>
    Effect.gen(function* () {
      const { fake, source } = setup()
      yield* source.countIssues(connection("cfg@1/cred@1"), JQL)
      yield* source.countIssues(connection("cfg@2/cred@1"), JQL)
      yield* source.countIssues(connection("cfg@2/cred@2"), JQL)
      yield* source.countIssues(connection("cfg@2/cred@2"), `${JQL} AND statusCategory = "done"`)
      expect(fake.calls).toHaveLength(4)
    })
  )

  it.effect("never caches a failure", () =>
    Effect.gen(function* () {
      const { fake, source } = setup()
      fake.faults.failNext("countIssues", new JiraUnavailable({ reason: "server", status: 503 }))
      expect((yield* source.countIssues(connection(), JQL).pipe(Effect.flip))._tag).toBe("JiraUnavailable")
      expect((yield* source.countIssues(connection(), JQL)).value).toBe(230)
      expect(fake.calls).toHaveLength(2)
    })
  )

  it.effect("fetches anew under BypassCache and keeps the fresh answer", () =>
    Effect.gen(function* () {
      const { fake, source } = setup()
      yield* source.countIssues(connection(), JQL)
      yield* TestClock.adjust("5 seconds")
      const fresh = yield* source.countIssues(connection(), JQL).pipe(Effect.provideService(BypassCache, true))
      expect(fake.calls).toHaveLength(2)
      const after = yield* source.countIssues(connection(), JQL)
      expect(after.fetchedAt).toEqual(fresh.fetchedAt)
      expect(fake.calls).toHaveLength(2)
    })
  )

  it.effect("is off with a TTL of 0, and never caches the account check", () =>
    Effect.gen(function* () {
      const off = setup(0)
      yield* off.source.countIssues(connection(), JQL)
      yield* off.source.countIssues(connection(), JQL)
      expect(off.fake.calls).toHaveLength(2)
      const on = setup(60)
      yield* on.source.getAccount(connection())
      yield* on.source.getAccount(connection())
      expect(on.fake.calls).toHaveLength(2)
    })
  )

  it.effect("keeps at most maxEntries, dropping the oldest", () =>
    Effect.gen(function* () {
      const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
      const cache = cached(fake.source, { ttlSeconds: 60, maxEntries: 2 })
      for (const key of ["ALPHA", "BETA", "DESK"]) yield* cache.service.countIssues(connection(), `project = "${key}"`)
      expect(cache.size()).toBe(2)
      yield* cache.service.countIssues(connection(), 'project = "DESK"')
      expect(fake.calls).toHaveLength(3)
      yield* cache.service.countIssues(connection(), 'project = "ALPHA"')
      expect(fake.calls).toHaveLength(4)
    })
  )

  it.effect("frees the key when the caller is interrupted", () =>
    Effect.gen(function* () {
      const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
      const slow = {
        ...fake.source,
        countIssues: (c: JiraConnection, j: string) => Effect.delay(fake.source.countIssues(c, j), "10 seconds")
      }
      const cache = cached(slow, { ttlSeconds: 60 })
      const fiber = yield* Effect.forkChild(cache.service.countIssues(connection(), JQL))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      const again = yield* Effect.forkChild(cache.service.countIssues(connection(), JQL))
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(again)).value).toBe(230)
    })
  )
})
