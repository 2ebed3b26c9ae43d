import { Duration } from "effect"

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

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  initialDelay: Duration.seconds(2),
  maxDelay: Duration.seconds(30),
  jitter: { min: 0.7, max: 1.3 },
  maxWait: Duration.seconds(30)
}

/** Statuses worth retrying: rate limits and a gateway or server that may recover. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

/** Rate-limit reasons that mean "stop calling this site until the reset", not just "slow down". */
export const QUOTA_REASONS: ReadonlySet<string> = new Set(["jira-quota-tenant-based", "jira-quota-global-based"])

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

/** A Retry-After wait: never shorter than Jira asked, spread upwards by the jitter so callers do not stampede. */
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
