import { describe, expect, it } from "@effect/vitest"
import {
  backoffMillis,
  parseRateLimitReset,
  parseRetryAfter,
  resolveRetryPolicy,
  retryAfterWaitMillis
} from "../src/retry-policy.ts"

const policy = resolveRetryPolicy()

describe("retry policy", () => {
  it("defaults to Atlassian's guidance", () => {
    expect(policy).toEqual({
      maxRetries: 4,
      initialDelayMs: 2000,
      maxDelayMs: 30_000,
      jitterMin: 0.7,
      jitterMax: 1.3,
      maxWaitMs: 30_000
    })
  })

  it("backs off from about 2 s, doubling, with jitter x0.7-1.3, capped at 30 s", () => {
    expect([0, 1, 2, 3].map((retry) => backoffMillis(policy, retry, 0))).toEqual([1400, 2800, 5600, 11_200])
    expect([0, 1, 2, 3].map((retry) => backoffMillis(policy, retry, 0.5))).toEqual([2000, 4000, 8000, 16_000])
    expect(backoffMillis(policy, 3, 0.999_999)).toBeCloseTo(20_800, 0)
    expect(backoffMillis(policy, 10, 0.5)).toBe(30_000)
  })

  it("never waits less than Retry-After", () => {
    expect(retryAfterWaitMillis(policy, 0, 0.9)).toBe(0)
    expect(retryAfterWaitMillis(policy, 1000, 0)).toBe(1000)
    expect(retryAfterWaitMillis(policy, 1000, 0.999_999)).toBeCloseTo(1300, 0)
  })

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("0", 0)).toBe(0)
    expect(parseRetryAfter(" 30 ", 0)).toBe(30_000)
    expect(parseRetryAfter("1.5", 0)).toBe(1500)
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.UTC(2015, 9, 21, 7, 27, 50))).toBe(10_000)
    expect(parseRetryAfter(undefined, 0)).toBeNull()
    expect(parseRetryAfter("soon", 0)).toBeNull()
    expect(parseRetryAfter("-1", 0)).toBeNull()
  })

  it("reads X-RateLimit-Reset as an ISO time", () => {
    expect(parseRateLimitReset("2026-01-02T03:04:05Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5))
    expect(parseRateLimitReset("tomorrow")).toBeNull()
    expect(parseRateLimitReset(undefined)).toBeNull()
  })
})
