import { describe, expect, it } from "@effect/vitest"
import { type JiraConnection, JiraUnavailable } from "@sciple/jira-core"
import { aFakeSite, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN, makeFakeIssueSource } from "@sciple/jira-core/testing"
import { Effect, Fiber, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { type CacheOptions, cached } from "../src/issue-source.cached.ts"
import { makeSharedTierMemory, type SharedTierShape } from "../src/shared-tier.ts"

const connection: JiraConnection = {
  site: FAKE_SITE,
  email: FAKE_EMAIL,
  token: Redacted.make(FAKE_TOKEN),
  cacheKey: "cfg@1/cred@1"
}
const JQL = 'project = "ALPHA"'
const SEARCH = { jql: JQL, pageSize: 100, pageToken: null }

/**
 * `count` instances, each with its own in-process cache, over one shared tier and one (fake) Jira site.
 * `readMs` delays every answer of the shared tier's `get` after it has read (a read on a busy database: what it
 * returns may be older than what the tier holds by the time the caller sees it).
 */
const instances = (count: number, options: Omit<CacheOptions, "shared"> = { ttlSeconds: 60 }, readMs = 0) => {
  const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
  // Jira takes its time, so concurrent requests really overlap.
  const slow = {
    ...fake.source,
    searchIssues: (c: JiraConnection, s: typeof SEARCH) => Effect.delay(fake.source.searchIssues(c, s), "200 millis")
  }
  const shared = makeSharedTierMemory()
  const tier: SharedTierShape =
    readMs === 0
      ? shared.tier
      : { ...shared.tier, get: (key, now) => Effect.tap(shared.tier.get(key, now), () => Effect.sleep(readMs)) }
  const caches = Array.from({ length: count }, () => cached(slow, { ...options, shared: tier }))
  return { fake, shared, caches }
}

describe("IssueSource cache over a shared tier", () => {
  it.effect("four instances, 200 concurrent cold requests each: one Jira call, the same answer everywhere", () =>
    Effect.gen(function* () {
      const { fake, caches } = instances(4)
      const fibers = yield* Effect.forEach(
        Array.from({ length: 800 }, (_, i) => caches[i % 4]),
        (cache) => Effect.forkChild(cache!.service.searchIssues(connection, SEARCH))
      )
      yield* TestClock.adjust("1 second")
      const results = yield* Effect.forEach(fibers, Fiber.join)
      expect(fake.calls).toHaveLength(1)
      expect(new Set(results.map((r) => r.fetchedAt.getTime())).size).toBe(1)
      expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1)
      expect(caches.map((c) => c.stats.miss).reduce((a, b) => a + b)).toBe(1)
      expect(caches.map((c) => c.stats.wait).reduce((a, b) => a + b)).toBe(3)
    })
  )

  it.effect("an instance whose read of the shared tier raced the holder's answer waits for it: one Jira call", () =>
    Effect.gen(function* () {
      // Each read of the tier answers 300 ms after it read, Jira 200 ms after it is asked. The first instance
      // claims at 300 ms and stores its answer at 500 ms; the others read nothing before that and ask for the
      // claim after it: the claim must still be held then (until the answer goes stale), or they fetch again.
      const { fake, caches } = instances(4, { ttlSeconds: 60, maxStaleSeconds: 600 }, 300)
      const fibers = []
      for (const cache of caches) {
        fibers.push(yield* Effect.forkChild(cache.service.searchIssues(connection, SEARCH)))
        yield* TestClock.adjust("110 millis")
      }
      yield* TestClock.adjust("3 seconds")
      const results = yield* Effect.forEach(fibers, Fiber.join)
      expect(fake.calls).toHaveLength(1)
      expect(new Set(results.map((r) => r.fetchedAt.getTime())).size).toBe(1)
      expect(caches.map((c) => c.stats.miss).reduce((a, b) => a + b)).toBe(1)
      expect(caches.map((c) => c.stats.wait).reduce((a, b) => a + b)).toBe(3)
    })
  )

  it.live("an instance with a cold memory reads another's answer from the shared tier, dates intact", () =>
    Effect.gen(function* () {
      const { fake, caches } = instances(2)
      const first = yield* caches[0]!.service.searchIssues(connection, SEARCH)
      const second = yield* caches[1]!.service.searchIssues(connection, SEARCH)
      expect(fake.calls).toHaveLength(1)
      expect(caches[1]!.stats["shared-hit"]).toBe(1)
      expect(second).toEqual(first)
      expect(second.value.issues[0]?.updated).toBeInstanceOf(Date)
    })
  )

  it.effect("a waiter whose wait outlasts the TTL takes the answer it waited for, without a second call", () =>
    Effect.gen(function* () {
      // The answer expires 100 ms after it lands; the waiter looks 500 ms after it began (a loaded machine).
      const { fake, caches } = instances(2, { ttlSeconds: 0.1, maxStaleSeconds: 60, pollMs: 500 })
      const holder = yield* Effect.forkChild(caches[0]!.service.searchIssues(connection, SEARCH))
      yield* TestClock.adjust("10 millis")
      const waiter = yield* Effect.forkChild(caches[1]!.service.searchIssues(connection, SEARCH))
      yield* TestClock.adjust("1 second")
      const [held, waited] = [yield* Fiber.join(holder), yield* Fiber.join(waiter)]
      expect(fake.calls).toHaveLength(1)
      expect(waited).toEqual(held)
      expect(caches[1]!.stats.wait).toBe(1)
    })
  )

  it.effect("a claim whose holder died lapses after its timeout, and a waiter fetches", () =>
    Effect.gen(function* () {
      const { fake, shared, caches } = instances(1, { ttlSeconds: 60, claimTimeoutMs: 5_000 })
      // A dead instance's claim: taken, never released, never answered.
      const key = [connection.site, connection.email, connection.cacheKey, "count", JSON.stringify(JQL)].join("\u001f")
      expect(yield* shared.tier.claim(key, "dead-instance", 0, 5_000)).toBe(true)
      const fiber = yield* Effect.forkChild(caches[0]!.service.countIssues(connection, JQL))
      yield* TestClock.adjust("4 seconds")
      expect(fake.calls).toHaveLength(0)
      yield* TestClock.adjust("2 seconds")
      expect((yield* Fiber.join(fiber)).value).toBe(230)
      expect(fake.calls).toHaveLength(1)
    })
  )

  it.effect("an answer another version wrote, its claim held until it goes stale: fetched here, not waited for", () =>
    Effect.gen(function* () {
      const { fake, shared, caches } = instances(1, { ttlSeconds: 60 })
      const key = [connection.site, connection.email, connection.cacheKey, "count", JSON.stringify(JQL)].join("\u001f")
      expect(yield* shared.tier.claim(key, "other-version", 0, 5_000)).toBe(true)
      yield* shared.tier.put(key, { value: { total: "230" }, fetchedAt: 0, expiresAt: 60_000, staleUntil: 660_000 })
      yield* shared.tier.release(key, "other-version", 60_000)
      const fiber = yield* Effect.forkChild(caches[0]!.service.countIssues(connection, JQL))
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).value).toBe(230)
      expect(fake.calls).toHaveLength(1)
    })
  )

  it.effect("a failed fetch caches nothing and frees the claim: the waiting instance tries itself", () =>
    Effect.gen(function* () {
      const { fake, caches } = instances(2)
      fake.faults.failNext("countIssues", new JiraUnavailable({ reason: "server", status: 503 }))
      const [a, b] = yield* Effect.all(
        [
          Effect.result(caches[0]!.service.countIssues(connection, JQL)),
          Effect.result(caches[1]!.service.countIssues(connection, JQL))
        ],
        { concurrency: "unbounded" }
      )
      expect([a._tag, b._tag].sort()).toEqual(["Failure", "Success"])
      expect(fake.calls).toHaveLength(2)
    })
  )

  it.effect("past the TTL, within the maximum staleness: the stored answer at once and one refresh behind it", () =>
    Effect.gen(function* () {
      const { fake, caches } = instances(2, { ttlSeconds: 60, maxStaleSeconds: 600 })
      const first = yield* caches[0]!.service.countIssues(connection, JQL)
      yield* caches[1]!.service.countIssues(connection, JQL)
      yield* TestClock.adjust("61 seconds")
      const stale = yield* Effect.all(
        Array.from({ length: 50 }, (_, i) => caches[i % 2]!.service.countIssues(connection, JQL)),
        { concurrency: "unbounded" }
      )
      expect(stale.every((r) => r.fetchedAt.getTime() === first.fetchedAt.getTime())).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(fake.calls).toHaveLength(2)
      expect(caches.map((c) => c.stats.refresh).reduce((a, b) => a + b)).toBe(1)
      const fresh = yield* caches[1]!.service.countIssues(connection, JQL)
      expect(fresh.fetchedAt.getTime()).toBeGreaterThan(first.fetchedAt.getTime())
      expect(fake.calls).toHaveLength(2)
    })
  )

  it.effect("past the maximum staleness, a view waits for Jira as on a cold cache", () =>
    Effect.gen(function* () {
      const { fake, caches } = instances(1, { ttlSeconds: 60, maxStaleSeconds: 600 })
      const first = yield* caches[0]!.service.countIssues(connection, JQL)
      yield* TestClock.adjust("661 seconds")
      const again = yield* caches[0]!.service.countIssues(connection, JQL)
      expect(again.fetchedAt.getTime()).toBeGreaterThan(first.fetchedAt.getTime())
      expect(fake.calls).toHaveLength(2)
      expect(caches[0]!.stats.stale).toBe(0)
    })
  )

  it.effect("tells every outcome to onEvent, for metrics", () =>
    Effect.gen(function* () {
      const events: Array<string> = []
      const fake = makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() })
      const cache = cached(fake.source, { ttlSeconds: 60, maxStaleSeconds: 60, onEvent: (e) => events.push(e) })
      yield* cache.service.countIssues(connection, JQL)
      yield* cache.service.countIssues(connection, JQL)
      yield* TestClock.adjust("61 seconds")
      yield* cache.service.countIssues(connection, JQL)
      yield* TestClock.adjust("1 second")
      expect(events).toEqual(["miss", "hit", "stale", "refresh"])
    })
  )
})
