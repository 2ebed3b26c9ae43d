import { type JiraError, JiraRateLimited } from "@sciple/jira-core"
import { Clock, Duration, Effect, Schedule } from "effect"

/**
 * Atlassian's retry guidance for Jira Cloud, as numbers the app and the tests can tune: Retry-After is the
 * minimum wait; otherwise exponential backoff from about 2 s, doubling, capped near 30 s, jitter x0.7-1.3,
 * at most 4 retries.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number
  /** The first backoff delay when Jira gives no Retry-After. */
  readonly initialDelay: Duration.Input
  /** The cap of a backoff delay. */
  readonly maxDelay: Duration.Input
  /** Random factor applied to backoff delays; Retry-After is only ever lengthened by it. */
  readonly jitter: { readonly min: number; readonly max: number }
  /**
   * The longest wait Jira may impose (Retry-After, a quota pause) before a call fails fast with
   * JiraRateLimited instead of sleeping: a page must not hang for minutes.
   */
  readonly maxWait: Duration.Input
}

const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  initialDelay: Duration.seconds(2),
  maxDelay: Duration.seconds(30),
  jitter: { min: 0.7, max: 1.3 },
  maxWait: Duration.seconds(30)
}

/** Statuses worth retrying (no other 4xx is): rate limits and a gateway or server that may recover. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

/** Rate-limit reasons that mean "stop calling this site until the reset", not just "slow down". */
const QUOTA_REASONS: ReadonlySet<string> = new Set(["jira-quota-tenant-based", "jira-quota-global-based"])

const millis = (input: Duration.Input) => Duration.toMillis(Duration.fromInputUnsafe(input))

/** The policy with its durations in milliseconds. */
export interface ResolvedRetryPolicy {
  readonly maxRetries: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly jitterMin: number
  readonly jitterMax: number
  readonly maxWaitMs: number
}

export const resolveRetryPolicy = (overrides: Partial<RetryPolicy> = {}): ResolvedRetryPolicy => {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides }
  const jitterMin = Math.max(0, policy.jitter.min)
  return {
    maxRetries: Math.max(0, Math.floor(policy.maxRetries)),
    initialDelayMs: millis(policy.initialDelay),
    maxDelayMs: millis(policy.maxDelay),
    jitterMin,
    jitterMax: Math.max(jitterMin, policy.jitter.max),
    maxWaitMs: millis(policy.maxWait)
  }
}

/** The backoff before retry number `retry` (0 for the first retry); `random` is uniform in [0, 1). */
export const backoffMillis = (policy: ResolvedRetryPolicy, retry: number, random: number): number => {
  const factor = policy.jitterMin + (policy.jitterMax - policy.jitterMin) * random
  return Math.min(policy.initialDelayMs * 2 ** retry * factor, policy.maxDelayMs)
}

/**
 * A Retry-After wait: never shorter than Jira asked, spread upwards by the jitter so callers do not stampede.
 * @internal not used by production code: for tests and test support
 */
export const retryAfterWaitMillis = (policy: ResolvedRetryPolicy, retryAfterMs: number, random: number): number =>
  retryAfterMs * (1 + Math.max(0, policy.jitterMax - 1) * random)

/** `Retry-After` in milliseconds: delta seconds (Jira's form, `0` included) or an HTTP date; null when absent or bad. */
export const parseRetryAfter = (header: string | undefined, now: number): number | null => {
  if (header === undefined) return null
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/** `X-RateLimit-Reset` (an ISO time) as epoch milliseconds, or null. */
export const parseRateLimitReset = (header: string | undefined): number | null => {
  if (header === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(header.trim())) return null
  const at = Date.parse(header.trim())
  return Number.isNaN(at) ? null : at
}

/** An answer another attempt may cure: a rate limit, a gateway or server error, a transport fault. */
export interface RetryableAnswer {
  readonly _tag: "RetryableAnswer"
  /** Which retry would follow: 0 after the first attempt. */
  readonly retry: number
  readonly status: number | null
  /** The error to report if no retry follows. */
  readonly error: JiraError
  readonly retryAfterMs: number | null
  /** Set for 429s and for any answer naming a rate-limit reason. */
  readonly rateLimit: { readonly reason: string | null; readonly resetAt: number | null } | null
  /** The jitter drawn for this answer (uniform in [0, 1)): the site's pause and the wait agree on it. */
  readonly random: number
}

const isRetryable = (failure: JiraError | RetryableAnswer): failure is RetryableAnswer =>
  failure._tag === "RetryableAnswer"

/** A quota stops the whole site until its reset: the site's pause is waited out before the next attempt. */
export const isQuota = (answer: RetryableAnswer): boolean =>
  answer.rateLimit?.reason != null && QUOTA_REASONS.has(answer.rateLimit.reason)

/** The wait before the next attempt: Retry-After as a minimum, else the backoff; none for a quota. */
const nextWaitMillis = (policy: ResolvedRetryPolicy, answer: RetryableAnswer): number => {
  if (isQuota(answer)) return 0
  return Math.ceil(
    answer.retryAfterMs !== null
      ? retryAfterWaitMillis(policy, answer.retryAfterMs, answer.random)
      : backoffMillis(policy, answer.retry, answer.random)
  )
}

/** Jira asks for a longer wait than the policy accepts: fail fast. Compared before jitter, so a Retry-After of
 * exactly the maximum wait is still honoured; a quota's pause is judged where the site's pause is waited out. */
const asksTooLong = (policy: ResolvedRetryPolicy, answer: RetryableAnswer): boolean =>
  !isQuota(answer) && answer.retryAfterMs !== null && answer.retryAfterMs > policy.maxWaitMs

/**
 * Atlassian's retry policy as a Schedule over an attempt's failures: at most `maxRetries` retries, only of a
 * retryable answer (never another 4xx), none when Jira asks for a longer wait than the policy accepts (it
 * fails fast instead), each after Retry-After (jittered upwards) or the jittered exponential backoff.
 */
export const retrySchedule = (policy: ResolvedRetryPolicy, maxRetries: number) =>
  Schedule.recurs(maxRetries).pipe(
    Schedule.setInputType<JiraError | RetryableAnswer>(),
    Schedule.while(({ input }) => isRetryable(input) && !asksTooLong(policy, input)),
    Schedule.modifyDelay(({ input }) =>
      Effect.succeed(Duration.millis(isRetryable(input) ? nextWaitMillis(policy, input) : 0))
    )
  )

/** The error a call ends with when no retry follows; a quota's wait is counted from the site's pause. */
export const giveUp = (
  policy: ResolvedRetryPolicy,
  failure: JiraError | RetryableAnswer,
  pausedUntil: () => number
): Effect.Effect<never, JiraError> =>
  Effect.gen(function* () {
    if (!isRetryable(failure)) return yield* Effect.fail(failure)
    const rateLimit = failure.rateLimit
    if (rateLimit === null) return yield* Effect.fail(failure.error)
    if (isQuota(failure)) {
      const now = yield* Clock.currentTimeMillis
      return yield* new JiraRateLimited({
        retryAfterSeconds: Math.max(0, pausedUntil() - now) / 1000,
        reason: rateLimit.reason
      })
    }
    const wait = failure.retryAfterMs ?? Math.ceil(backoffMillis(policy, failure.retry, failure.random))
    return yield* new JiraRateLimited({ retryAfterSeconds: wait / 1000, reason: rateLimit.reason })
  })
