import { BypassCache, type Fetched, IssueSource, type JiraConnection, JiraMetrics } from "@sciple/jira-core"
import { Clock, Deferred, Effect, Exit, Layer, Metric } from "effect"

export interface CacheOptions {
  /** How long a Jira answer is served from memory; 0 turns the cache off. */
  readonly ttlSeconds: number
  /** Entries kept at most; the oldest go first (default 5,000). */
  readonly maxEntries?: number
}

interface Entry {
  readonly expiresAt: number
  readonly value: Fetched<unknown>
}

/**
 * A read-through cache in front of any IssueSource (a decorator: the use cases do not know it exists).
 * Keys are the connection's cache key (workspace configuration and credential, with their versions) plus
 * the exact request, so a configuration or credential change, on this instance or another, is a new key.
 * Concurrent identical requests share one Jira call (single flight). Failures are never cached. The
 * `BypassCache` reference (the refresh control) fetches anew and stores the fresh answer. Answers keep
 * their `fetchedAt`, so pages can say how old they are. The account check and JQL validation pass through.
 */
export const cached = (source: IssueSource["Service"], options: CacheOptions) => {
  const ttlMs = options.ttlSeconds * 1000
  const maxEntries = options.maxEntries ?? 5000
  const entries = new Map<string, Entry>()
  const inFlight = new Map<string, Deferred.Deferred<Fetched<unknown>, unknown>>()
  const stats = { hits: 0, misses: 0, shared: 0 }

  const store = (key: string, value: Fetched<unknown>, now: number) => {
    entries.delete(key)
    entries.set(key, { expiresAt: now + ttlMs, value })
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next()
      if (oldest.done === true) break
      entries.delete(oldest.value)
    }
  }

  const through = <A, E>(key: string, fetch: Effect.Effect<Fetched<A>, E>): Effect.Effect<Fetched<A>, E> =>
    Effect.gen(function* () {
      const bypass = yield* BypassCache
      const now = yield* Clock.currentTimeMillis
      if (!bypass) {
        const hit = entries.get(key)
        if (hit !== undefined && hit.expiresAt > now) {
          stats.hits++
          yield* JiraMetrics.recordCacheLookup("hit")
          return hit.value as Fetched<A>
        }
        const pending = inFlight.get(key)
        if (pending !== undefined) {
          stats.shared++
          yield* Metric.update(JiraMetrics.jiraSingleFlightWaits, 1)
          // Every flight under one key runs the same request, so its answer has this call's types.
          return yield* Deferred.await(pending as unknown as Deferred.Deferred<Fetched<A>, E>)
        }
      }
      stats.misses++
      const deferred = yield* Deferred.make<Fetched<unknown>, unknown>()
      inFlight.set(key, deferred)
      // Counted after the flight is registered: nothing may run between the lookup and the registration.
      yield* JiraMetrics.recordCacheLookup("miss")
      // Whatever ends the call (answer, error, interruption) settles the waiters and frees the key.
      return yield* fetch.pipe(
        Effect.onExit((exit) =>
          Effect.gen(function* () {
            if (inFlight.get(key) === deferred) inFlight.delete(key)
            if (Exit.isSuccess(exit)) store(key, exit.value, yield* Clock.currentTimeMillis)
            yield* Deferred.done(deferred, exit as Exit.Exit<Fetched<unknown>, unknown>)
          })
        )
      )
    })

  const keyOf = (connection: JiraConnection, operation: string, request: unknown) =>
    `${connection.site}\u0000${connection.cacheKey}\u0000${operation}\u0000${JSON.stringify(request)}`

  const service: IssueSource["Service"] =
    ttlMs <= 0
      ? source
      : {
          searchIssues: (connection, search) =>
            through(keyOf(connection, "search", search), source.searchIssues(connection, search)),
          countIssues: (connection, jql) =>
            through(keyOf(connection, "count", jql), source.countIssues(connection, jql)),
          listProjects: (connection, query) =>
            through(keyOf(connection, "projects", query), source.listProjects(connection, query)),
          getAccount: (connection) => source.getAccount(connection),
          testConnection: (connection) => source.testConnection(connection),
          validateJql: (connection, jql) => source.validateJql(connection, jql)
        }
  return { service, stats, size: () => entries.size, clear: () => entries.clear() }
}

/** Decorates the IssueSource below it with the cache. */
export const layer = (options: CacheOptions): Layer.Layer<IssueSource, never, IssueSource> =>
  Layer.effect(
    IssueSource,
    Effect.map(IssueSource, (source) => cached(source, options).service)
  )
