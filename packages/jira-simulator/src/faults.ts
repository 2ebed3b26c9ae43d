/** Fault switches: added latency and a queue of failures for the next matching requests. */

export type RateLimitReason =
  | "jira-burst-based"
  | "jira-quota-tenant-based"
  | "jira-quota-global-based"
  | "jira-per-issue-on-write"
  | (string & {})

export type Fault =
  /** 429 with `Retry-After` (omitted when `null`), `RateLimit-Reason` and `X-RateLimit-*`. */
  | {
      readonly kind: "rateLimit"
      readonly retryAfter?: number | null | undefined
      readonly reason?: RateLimitReason | undefined
      readonly limit?: number | undefined
      readonly remaining?: number | undefined
      /** ISO time of the reset; one minute from the simulator's now by default. */
      readonly reset?: string | undefined
    }
  /** A server error; 503 may carry `Retry-After`. */
  | { readonly kind: "status"; readonly status: 500 | 502 | 503 | 504; readonly retryAfter?: number | undefined }
  /** Never answers; the request ends only when its signal aborts. */
  | { readonly kind: "hang" }
  /** 200, `application/json`, a body that is not JSON. */
  | { readonly kind: "malformedJson" }
  /** 200, `application/json`, the first half of the real body. */
  | { readonly kind: "truncatedJson" }
  /** Jira's HTML 404 page, as for a wrong path. */
  | { readonly kind: "html404" }
  /** The connection drops: the TCP socket is destroyed, or msw answers with a network error. */
  | { readonly kind: "connectionReset" }
  /**
   * The CAPTCHA lock after failed logins: 403 (or `status: 401`) with `X-Seraph-LoginReason: AUTHENTICATION_DENIED`
   * and `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=<site>/login.jsp`.
   */
  | { readonly kind: "authDenied"; readonly status?: 401 | 403 | undefined }

export type FaultRule = Fault & {
  /** Only requests to this path (e.g. `/rest/api/3/search/jql`); any path when absent. */
  readonly path?: string | undefined
  /** Only this method, e.g. `POST`. */
  readonly method?: string | undefined
  /** How many matching requests fail; 1 by default, `Infinity` for all. */
  readonly times?: number | undefined
}

interface FaultSettings {
  /** Added to every response, faults included. */
  readonly latencyMs?: number | undefined
  readonly next?: ReadonlyArray<FaultRule> | undefined
}

interface PendingFault {
  readonly rule: FaultRule
  readonly remaining: number
}

export interface Faults {
  /** Replaces the latency and the queue. */
  set(settings: FaultSettings): void
  /** Appends rules to the queue. */
  push(...rules: FaultRule[]): void
  /** No latency, empty queue. */
  clear(): void
  latencyMs: number
  readonly pending: ReadonlyArray<PendingFault>
  /** Takes the first queued rule matching the request, counting it down. */
  take(method: string, path: string): Fault | undefined
}

export const createFaults = (): Faults => {
  let latencyMs = 0
  let queue: Array<{ rule: FaultRule; remaining: number }> = []
  const toEntry = (rule: FaultRule) => ({ rule, remaining: rule.times ?? 1 })
  return {
    set(settings) {
      latencyMs = settings.latencyMs ?? 0
      queue = (settings.next ?? []).map(toEntry)
    },
    push(...rules) {
      queue.push(...rules.map(toEntry))
    },
    clear() {
      latencyMs = 0
      queue = []
    },
    get latencyMs() {
      return latencyMs
    },
    set latencyMs(value: number) {
      latencyMs = value
    },
    get pending() {
      return queue.map((entry) => ({ rule: entry.rule, remaining: entry.remaining }))
    },
    take(method, path) {
      const entry = queue.find(
        (e) =>
          e.remaining > 0 &&
          (e.rule.path === undefined || e.rule.path === path) &&
          (e.rule.method === undefined || e.rule.method.toUpperCase() === method.toUpperCase())
      )
      if (entry === undefined) return undefined
      entry.remaining--
      if (entry.remaining <= 0) queue = queue.filter((e) => e !== entry)
      return entry.rule
    }
  }
}
