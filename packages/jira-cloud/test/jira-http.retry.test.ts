import { describe, expect, it } from "@effect/vitest"
import { type JiraConnection, SiteUrl } from "@sciple/jira-core"
import { Effect, Exit, Fiber, Queue } from "effect"
import { TestClock } from "effect/testing"
import { delay, HttpResponse, http } from "msw"
import { API, captureWaits, connection, drive, jiraError, makeSource, SITE, useMsw } from "./support/jira-msw.ts"

const server = useMsw()

type Answer = () => Response

const ok = () => HttpResponse.json({ accountId: "acc-1", displayName: "Bot" })
const tooMany =
  (headers: Record<string, string> = {}): Answer =>
  () =>
    HttpResponse.json(jiraError(["Rate limit exceeded."]), { status: 429, headers })
const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  () =>
    HttpResponse.text("", { status: code, headers })

const testClock = TestClock.testClockWith(Effect.succeed)

/** Answers `path` from `answers` in turn (the last one repeats), recording the TestClock time of each request. */
const script = (
  clock: TestClock.TestClock,
  method: "get" | "post",
  url: string,
  answers: ReadonlyArray<Answer>
): Array<number> => {
  const times: Array<number> = []
  server.use(
    http[method](url, () => {
      const answer = answers[Math.min(times.length, answers.length - 1)]!
      times.push(clock.currentTimeMillisUnsafe())
      return answer()
    })
  )
  return times
}

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((time, i) => time - times[i]!)

const failure = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? (exit.cause.reasons.find((r) => r._tag === "Fail")?.error as E | undefined) : undefined

describe("retries (Atlassian's guidance, on the TestClock)", () => {
  for (const seconds of [0, 1, 30]) {
    it.effect(`honours Retry-After: ${seconds} as the minimum wait`, () =>
      Effect.gen(function* () {
        const clock = yield* testClock
        const times = script(clock, "get", `${API}/myself`, [tooMany({ "Retry-After": String(seconds) }), ok])
        const source = yield* makeSource()
        const { exit, waits } = yield* drive(source.getAccount(connection))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(times).toHaveLength(2)
        const [gap] = gaps(times)
        expect(gap).toBeGreaterThanOrEqual(seconds * 1000)
        expect(gap).toBeLessThanOrEqual(Math.ceil(seconds * 1300))
        expect(waits.map((wait) => wait.waitMs)).toEqual([gap])
      })
    )
  }

  it.effect("fails fast with JiraRateLimited when Retry-After is longer than the maximum wait", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [
        tooMany({ "Retry-After": "31", "RateLimit-Reason": "jira-burst-based" })
      ])
      const source = yield* makeSource()
      const { exit, waits } = yield* drive(source.getAccount(connection))
      expect(failure(exit)).toMatchObject({
        _tag: "JiraRateLimited",
        retryAfterSeconds: 31,
        reason: "jira-burst-based"
      })
      expect(times).toHaveLength(1)
      expect(waits).toHaveLength(0)
    })
  )

  it.effect("the maximum wait is configurable", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [tooMany({ "Retry-After": "45" }), ok])
      const source = yield* makeSource({ retry: { maxWait: "60 seconds" } })
      const { exit } = yield* drive(source.getAccount(connection))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(gaps(times)[0]).toBeGreaterThanOrEqual(45_000)
    })
  )

  it.effect("backs off exponentially from about 2 s, with at most 4 retries, then reports the failure", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [status(503)])
      const source = yield* makeSource()
      const { exit } = yield* drive(source.getAccount(connection))
      expect(failure(exit)).toMatchObject({ _tag: "JiraUnavailable", reason: "server", status: 503 })
      expect(times).toHaveLength(5)
      gaps(times).forEach((gap, retry) => {
        const nominal = 2000 * 2 ** retry
        expect(gap).toBeGreaterThanOrEqual(nominal * 0.7)
        expect(gap).toBeLessThanOrEqual(Math.ceil(nominal * 1.3))
      })
      expect(times[4]! - times[0]!).toBeLessThanOrEqual(39_000)
    })
  )

  it.effect("429 without Retry-After backs off too and ends in JiraRateLimited with the next wait", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [tooMany()])
      const source = yield* makeSource()
      const { exit } = yield* drive(source.getAccount(connection))
      const error = failure(exit)
      expect(error).toMatchObject({ _tag: "JiraRateLimited", reason: null })
      expect(error?._tag === "JiraRateLimited" && error.retryAfterSeconds).toBeGreaterThan(0)
      expect(times).toHaveLength(5)
    })
  )

  for (const code of [502, 504]) {
    it.effect(`retries ${code} and recovers`, () =>
      Effect.gen(function* () {
        const clock = yield* testClock
        const times = script(clock, "get", `${API}/myself`, [status(code), ok])
        const source = yield* makeSource()
        const { exit } = yield* drive(source.getAccount(connection))
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(times).toHaveLength(2)
      })
    )
  }

  it.effect("retries network errors", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [() => HttpResponse.error(), () => HttpResponse.error(), ok])
      const source = yield* makeSource()
      const { exit } = yield* drive(source.getAccount(connection))
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(times).toHaveLength(3)
    })
  )

  it.effect("retries a request that timed out", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const { promise: hung, resolve } = Promise.withResolvers<void>()
      let calls = 0
      server.use(
        http.get(`${API}/myself`, async () => {
          calls++
          if (calls > 1) return ok()
          resolve()
          await delay("infinite")
          return ok()
        })
      )
      const { waits, layer } = yield* captureWaits
      const source = yield* makeSource()
      const fiber = yield* Effect.forkChild(source.getAccount(connection).pipe(Effect.provide(layer)))
      yield* Effect.promise(() => hung)
      yield* TestClock.adjust("10 seconds")
      const wait = yield* Queue.take(waits)
      yield* Effect.yieldNow
      yield* TestClock.adjust(wait.waitMs)
      expect((yield* Fiber.join(fiber)).accountId).toBe("acc-1")
      expect(calls).toBe(2)
      expect(clock.currentTimeMillisUnsafe()).toBeGreaterThanOrEqual(10_000 + 1400)
    })
  )

  for (const code of [400, 401, 403, 404]) {
    it.effect(`never retries ${code}`, () =>
      Effect.gen(function* () {
        const clock = yield* testClock
        const times = script(clock, "get", `${API}/myself`, [status(code, { "Retry-After": "1" })])
        const source = yield* makeSource()
        const { exit, waits } = yield* drive(source.getAccount(connection))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(times).toHaveLength(1)
        expect(waits).toHaveLength(0)
      })
    )
  }

  it.effect("a 503 asking for a long wait fails fast as unavailable", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [status(503, { "Retry-After": "120" })])
      const source = yield* makeSource()
      const { exit } = yield* drive(source.getAccount(connection))
      expect(failure(exit)).toMatchObject({ _tag: "JiraUnavailable", status: 503 })
      expect(times).toHaveLength(1)
    })
  )

  it.effect("the policy's numbers are configurable", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      const times = script(clock, "get", `${API}/myself`, [status(503)])
      const source = yield* makeSource({
        retry: { maxRetries: 2, initialDelay: "100 millis", jitter: { min: 1, max: 1 } }
      })
      const { exit } = yield* drive(source.getAccount(connection))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(gaps(times)).toEqual([100, 200])
    })
  )

  describe("quota limits pause the whole site until the reset", () => {
    const quota = (resetAt: number) =>
      tooMany({
        "RateLimit-Reason": "jira-quota-tenant-based",
        "X-RateLimit-Reset": new Date(resetAt).toISOString(),
        "X-RateLimit-Limit": "1000",
        "X-RateLimit-Remaining": "0"
      })
    const other: JiraConnection = { ...connection, site: SiteUrl.make("https://other.atlassian.net") }

    it.effect("other calls to the site wait for the reset too; other sites do not", () =>
      Effect.gen(function* () {
        const clock = yield* testClock
        const reset = clock.currentTimeMillisUnsafe() + 20_000
        const accountTimes = script(clock, "get", `${API}/myself`, [quota(reset), ok])
        const countTimes = script(clock, "post", `${API}/search/approximate-count`, [
          () => HttpResponse.json({ count: 7 })
        ])
        const otherTimes = script(clock, "get", "https://other.atlassian.net/rest/api/3/myself", [ok])
        const { waits, layer } = yield* captureWaits
        const source = yield* makeSource()
        const first = yield* Effect.forkChild(source.getAccount(connection).pipe(Effect.provide(layer)))
        expect(yield* Queue.take(waits)).toMatchObject({ endpoint: "GET /rest/api/3/myself", waitMs: 20_000 })
        const second = yield* Effect.forkChild(
          source.countIssues(connection, "project = ABC").pipe(Effect.provide(layer))
        )
        expect(yield* Queue.take(waits)).toMatchObject({
          endpoint: "POST /rest/api/3/search/approximate-count",
          waitMs: 20_000
        })
        expect(countTimes).toHaveLength(0)
        yield* source.getAccount(other)
        expect(otherTimes).toEqual([0])
        yield* Effect.yieldNow
        yield* TestClock.adjust("20 seconds")
        yield* Fiber.join(first)
        expect((yield* Fiber.join(second)).value).toBe(7)
        expect(accountTimes).toEqual([0, reset])
        expect(countTimes).toEqual([reset])
      })
    )

    it.effect("fails fast with the remaining wait when the reset is further off than the maximum wait", () =>
      Effect.gen(function* () {
        const clock = yield* testClock
        const reset = clock.currentTimeMillisUnsafe() + 60_000
        const accountTimes = script(clock, "get", `${API}/myself`, [quota(reset), ok])
        const countTimes = script(clock, "post", `${API}/search/approximate-count`, [
          () => HttpResponse.json({ count: 7 })
        ])
        const { waits, layer } = yield* captureWaits
        const source = yield* makeSource()
        const error = yield* source.getAccount(connection).pipe(Effect.flip)
        expect(error).toMatchObject({
          _tag: "JiraRateLimited",
          retryAfterSeconds: 60,
          reason: "jira-quota-tenant-based"
        })
        const next = yield* source.countIssues(connection, "project = ABC").pipe(Effect.flip)
        expect(next).toMatchObject({ _tag: "JiraRateLimited", retryAfterSeconds: 60 })
        yield* TestClock.adjust("45 seconds")
        // 15 s left is within the maximum wait: this call waits for the reset instead.
        const waiting = yield* Effect.forkChild(
          source.countIssues(connection, "project = ABC").pipe(Effect.provide(layer))
        )
        expect((yield* Queue.take(waits)).waitMs).toBe(15_000)
        yield* Effect.yieldNow
        yield* TestClock.adjust("15 seconds")
        expect((yield* Fiber.join(waiting)).value).toBe(7)
        expect(countTimes).toEqual([reset])
        expect(accountTimes).toHaveLength(1)
      })
    )
  })

  it.effect("a call waiting to retry does not hold a slot of the site's in-flight limit", () =>
    Effect.gen(function* () {
      const clock = yield* testClock
      // A 503, not a 429: a rate limit pauses the whole site (see the shared site limits below).
      script(clock, "get", `${API}/myself`, [status(503, { "Retry-After": "5" }), ok])
      const countTimes = script(clock, "post", `${API}/search/approximate-count`, [
        () => HttpResponse.json({ count: 1 })
      ])
      const { waits, layer } = yield* captureWaits
      const source = yield* makeSource({ maxInFlightPerSite: 1 })
      const waiting = yield* Effect.forkChild(source.getAccount(connection).pipe(Effect.provide(layer)))
      const wait = yield* Queue.take(waits)
      yield* source.countIssues(connection, "project = ABC")
      expect(countTimes).toEqual([0])
      yield* Effect.yieldNow
      yield* TestClock.adjust(wait.waitMs)
      yield* Fiber.join(waiting)
    })
  )
})

describe("the per-site limit on requests in flight", () => {
  /** Counts requests in flight per host at the handler, each held for a few milliseconds. */
  const countInFlight = () => {
    const inFlight = new Map<string, number>()
    const peak = new Map<string, number>()
    server.use(
      http.post("https://*.atlassian.net/rest/api/3/search/approximate-count", async ({ request }) => {
        const host = new URL(request.url).host
        const now = (inFlight.get(host) ?? 0) + 1
        inFlight.set(host, now)
        peak.set(host, Math.max(peak.get(host) ?? 0, now))
        await delay(15)
        inFlight.set(host, (inFlight.get(host) ?? 1) - 1)
        return HttpResponse.json({ count: 1 })
      })
    )
    return peak
  }

  it.live("is 8 by default", () =>
    Effect.gen(function* () {
      const peak = countInFlight()
      const source = yield* makeSource()
      yield* Effect.forEach(Array.from({ length: 30 }), () => source.countIssues(connection, "project = ABC"), {
        concurrency: "unbounded"
      })
      expect(peak.get(new URL(SITE).host)).toBe(8)
    })
  )

  it.live("is configurable and applies to each site separately", () =>
    Effect.gen(function* () {
      const peak = countInFlight()
      const source = yield* makeSource({ maxInFlightPerSite: 3 })
      const other: JiraConnection = { ...connection, site: SiteUrl.make("https://other.atlassian.net") }
      yield* Effect.forEach(
        Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? connection : other)),
        (target) => source.countIssues(target, "project = ABC"),
        { concurrency: "unbounded" }
      )
      expect(peak.get("acme.atlassian.net")).toBe(3)
      expect(peak.get("other.atlassian.net")).toBe(3)
    })
  )
})
