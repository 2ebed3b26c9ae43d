import { Effect, Metric } from "effect"

/*
 * The adapters' metrics (Jira, its cache, the database pool), defined once so the adapters, `/metrics` and the
 * OTLP export all name the same series. Labels stay low-cardinality: never a site, workspace or user.
 */

/** Seconds, from a fast cache-side answer to a slow Jira page. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/**
 * Every HTTP exchange with Jira, by operation (`POST /rest/api/3/search/jql`) and outcome (status or fault).
 * @internal not used by production code: for tests and test support
 */
export const jiraRequests = Metric.counter("jira_requests_total", {
  description: "HTTP requests sent to Jira, by operation and outcome",
  incremental: true
})

/** @internal not used by production code: for tests and test support */
export const jiraRequestSeconds = Metric.histogram("jira_request_duration_seconds", {
  description: "Time of one HTTP exchange with Jira, by operation",
  boundaries: LATENCY_BUCKETS
})

/**
 * Rate-limit answers (429 or a rate-limit reason) that made the adapter pause, by reason.
 * @internal not used by production code: for tests and test support
 */
export const jiraRateLimitPauses = Metric.counter("jira_rate_limit_pauses_total", {
  description: "Jira answers that paused calls for a rate limit or quota, by reason",
  incremental: true
})

/**
 * Cache lookups by result: `hit`, `miss` or `stale` (an expired answer served while it refreshes).
 * @internal not used by production code: for tests and test support
 */
export const jiraCacheLookups = Metric.counter("jira_cache_lookups_total", {
  description: "Jira cache lookups, by result (hit, miss, stale)",
  incremental: true
})

/** Callers that waited on another caller's identical Jira request instead of sending their own. */
export const jiraSingleFlightWaits = Metric.counter("jira_single_flight_waits_total", {
  description: "Requests that waited on an identical Jira request already in flight",
  incremental: true
})

/** The latency buckets, shared with the app's page-latency histogram. */
export const LATENCY_BOUNDARIES: ReadonlyArray<number> = LATENCY_BUCKETS

/** Counts one Jira exchange and its time. */
export const recordJiraRequest = (operation: string, outcome: string, seconds: number) =>
  Effect.andThen(
    Metric.update(Metric.withAttributes(jiraRequests, { operation, outcome }), 1),
    Metric.update(Metric.withAttributes(jiraRequestSeconds, { operation }), seconds)
  )

/** Counts one cache lookup by its result. */
export const recordCacheLookup = (result: "hit" | "miss" | "stale") =>
  Metric.update(Metric.withAttributes(jiraCacheLookups, { result }), 1)

/** Counts one rate-limit pause by Jira's reason (`unknown` when it gave none). */
export const recordRateLimitPause = (reason: string | null) =>
  Metric.update(Metric.withAttributes(jiraRateLimitPauses, { reason: reason ?? "unknown" }), 1)

/** Database work waiting for or holding a connection: above the pool size, callers queue. By driver. */
const databaseInFlight = Metric.gauge("db_pool_in_flight", {
  description: "Database queries and transactions waiting for or holding a pool connection, by driver"
})

export const databasePoolSize = Metric.gauge("db_pool_max_connections", {
  description: "Connections the database pool may open, by driver"
})

/** Holds one unit of the in-flight gauge while `effect` runs. */
export const inDatabasePool =
  (driver: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    const gauge = Metric.withAttributes(databaseInFlight, { driver })
    return Effect.acquireUseRelease(
      Metric.modify(gauge, 1),
      () => effect,
      () => Metric.modify(gauge, -1)
    )
  }
