import { Effect } from "effect"

/** A site's calls stopped until `until` (epoch ms), and Jira's reason when it gave one. */
export interface SitePause {
  readonly until: number
  readonly reason: string | null
}

/**
 * Jira's limits per site as every instance of the app sees them (Atlassian's guidance: share limiter state
 * across workers). The adapter consults it before each call and reports what Jira says: a refusal pauses the
 * site everywhere until it lifts, `X-RateLimit-NearLimit` slows it down before it is refused. Implementations
 * never fail: limits are advisory, and an unreachable store leaves each instance with its own.
 */
export interface SiteLimitsShape {
  /** The pause in force for the site, if any, as of now: consulted before every call, so a shared store checks its state. */
  readonly pauseOf: (site: string, now: number) => Effect.Effect<SitePause | null>
  /** Until when (epoch ms) the site's concurrency is lowered; 0 when it is not. */
  readonly slowUntil: (site: string, now: number) => Effect.Effect<number>
  /** Jira refused a call (429, a quota): no call to the site until `until`, on any instance. */
  readonly pause: (site: string, until: number, reason: string | null) => Effect.Effect<void>
  /** Jira said the site is near its limit: fewer calls in flight until `until`. */
  readonly slowDown: (site: string, until: number) => Effect.Effect<void>
}

/** The limits of one process: the default, for a single instance. */
export const makeSiteLimitsMemory = (): SiteLimitsShape => {
  const pauses = new Map<string, SitePause>()
  const slow = new Map<string, number>()
  return {
    pauseOf: (site, now) =>
      Effect.sync(() => {
        const pause = pauses.get(site)
        return pause !== undefined && pause.until > now ? pause : null
      }),
    slowUntil: (site, now) =>
      Effect.sync(() => {
        const until = slow.get(site) ?? 0
        return until > now ? until : 0
      }),
    pause: (site, until, reason) =>
      Effect.sync(() => {
        if (until > (pauses.get(site)?.until ?? 0)) pauses.set(site, { until, reason })
      }),
    slowDown: (site, until) =>
      Effect.sync(() => {
        if (until > (slow.get(site) ?? 0)) slow.set(site, until)
      })
  }
}
