import { BypassCache, type Fetched, IssueSource, type JiraConnection, JiraMetrics } from "@sciple/jira-core"
import { Clock, Deferred, Effect, type Exit, Layer, Metric } from "effect"
import { type AnswerCodec, countCodec, issuePageCodec, projectPageCodec } from "./answer-codecs.ts"
import { makeAvatarCache } from "./avatar-cache.ts"
import { type SharedAnswer, SharedTier, type SharedTierShape } from "./shared-tier.ts"

/**
 * What the cache did for one request, for metrics: `hit` (fresh, from memory), `shared-hit` (fresh, from the
 * shared tier), `stale` (past the TTL, served while one refresh runs), `joined` (this instance's fetch of the
 * same request was under way), `wait` (another instance was fetching it: waited for its answer), `miss`
 * (fetched from Jira here), `refresh` (a refresh behind a stale answer fetched from Jira).
 */
export type CacheEvent = "hit" | "shared-hit" | "stale" | "joined" | "wait" | "miss" | "refresh"

export interface CacheOptions {
  /** How long a Jira answer is served as fresh; 0 turns the cache off. */
  readonly ttlSeconds: number
  /** Past the TTL and within this, an answer is served at once while one refresh runs behind it (default 0). */
  readonly maxStaleSeconds?: number
  /** Entries kept in memory at most; the oldest go first (default 5,000). */
  readonly maxEntries?: number
  /** The tier shared by every instance, with its single flight; without it each instance keeps to itself. */
  readonly shared?: SharedTierShape
  /** How long a fetch claim holds before another instance may take it over (default 20 s). */
  readonly claimTimeoutMs?: number
  /** How often an instance waiting for another's fetch looks for its answer (default 25 ms). */
  readonly pollMs?: number
  /** Called with every request's outcome (metrics). Must not throw. */
  readonly onEvent?: (event: CacheEvent) => void
}

interface Entry {
  readonly expiresAt: number
  readonly staleUntil: number
  readonly value: Fetched<unknown>
}

/**
 * A read-through cache in front of any IssueSource (a decorator: the use cases do not know it exists), in two
 * tiers: this process's memory, then optionally a tier shared by every instance (see adr/0024).
 * Keys are the site, the account, the connection's cache key (configuration and credential with their
 * versions) and the exact request, so a configuration or credential change, on any instance, is a new key.
 * Concurrent identical requests share one Jira call, on this instance and, with the shared tier, across all
 * of them. Failures are never cached. Past the TTL and within the maximum staleness the stored answer is
 * served at once and one refresh runs behind it. `BypassCache` (the refresh control) fetches anew and stores
 * the fresh answer. Answers keep their `fetchedAt`. The account check and JQL validation pass through.
 * @internal not used by production code: for tests and test support
 */
export const cached = (source: IssueSource["Service"], options: CacheOptions) => {
  const ttlMs = options.ttlSeconds * 1000
  const staleMs = Math.max(0, (options.maxStaleSeconds ?? 0) * 1000)
  const maxEntries = options.maxEntries ?? 5000
  const claimMs = options.claimTimeoutMs ?? 20_000
  const pollMs = options.pollMs ?? 25
  const tier = options.shared ?? null
  // Names this instance's claims; not a secret.
  const holder = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  const entries = new Map<string, Entry>()
  const inFlight = new Map<string, Deferred.Deferred<Fetched<unknown>, unknown>>()
  const refreshing = new Set<string>()
  const stats: Record<CacheEvent, number> = {
    hit: 0,
    "shared-hit": 0,
    stale: 0,
    joined: 0,
    wait: 0,
    miss: 0,
    refresh: 0
  }
  /** Counts an event here, tells `onEvent`, and updates the shared metrics (adr/0026). */
  const count = (event: CacheEvent): Effect.Effect<void> =>
    Effect.suspend(() => {
      stats[event]++
      options.onEvent?.(event)
      switch (event) {
        case "hit":
        case "shared-hit":
          return JiraMetrics.recordCacheLookup("hit")
        case "stale":
          return JiraMetrics.recordCacheLookup("stale")
        case "miss":
          return JiraMetrics.recordCacheLookup("miss")
        case "joined":
        case "wait":
          return Metric.update(JiraMetrics.jiraSingleFlightWaits, 1)
        case "refresh":
          return Effect.void
      }
    })

  const store = (key: string, entry: Entry) => {
    entries.delete(key)
    entries.set(key, entry)
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next()
      if (oldest.done === true) break
      entries.delete(oldest.value)
    }
  }

  // The shared tier is an optimisation: when it fails, the instance carries on as if it were alone.
  const tierGet = (key: string, now: number) =>
    tier === null
      ? Effect.succeed(null)
      : tier
          .get(key, now)
          .pipe(
            Effect.catch((error) =>
              Effect.logWarning("Shared Jira cache unreadable", { reason: error.reason }).pipe(Effect.as(null))
            )
          )
  const tierClaim = (key: string, now: number) =>
    tier === null
      ? Effect.succeed(true)
      : tier
          .claim(key, holder, now, claimMs)
          .pipe(
            Effect.catch((error) =>
              Effect.logWarning("Shared Jira cache claim failed", { reason: error.reason }).pipe(Effect.as(true))
            )
          )
  const tierRelease = (key: string, until: number) =>
    tier === null ? Effect.void : Effect.ignore(tier.release(key, holder, until))

  /** A shared answer decoded, or null when it does not decode (another version wrote it). */
  const fromTier = <A>(key: string, codec: AnswerCodec<A>, answer: SharedAnswer) =>
    codec.decode(answer.value).pipe(
      Effect.map((value): Fetched<A> => {
        const fetched = { value, fetchedAt: new Date(answer.fetchedAt) }
        store(key, { expiresAt: answer.expiresAt, staleUntil: answer.staleUntil, value: fetched })
        return fetched
      }),
      Effect.catch(() => Effect.succeed(null))
    )

  /**
   * Fetches from Jira here and keeps the answer in both tiers. The claim is then held until the answer goes
   * stale (an instance that missed the answer by a hair waits for it rather than fetching again), or given
   * back at once when the fetch fails or is interrupted.
   */
  const fetchHere = <A, E>(key: string, codec: AnswerCodec<A>, fetch: Effect.Effect<Fetched<A>, E>) =>
    Effect.suspend(() => {
      // When the answer is in the shared tier, the claim is held until it goes stale.
      let heldUntil: number | null = null
      return fetch.pipe(
        Effect.tap((fetched) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis
            const answer = { expiresAt: now + ttlMs, staleUntil: now + ttlMs + staleMs }
            store(key, { ...answer, value: fetched })
            if (tier === null) return
            const put = tier.put(key, {
              ...answer,
              fetchedAt: fetched.fetchedAt.getTime(),
              value: codec.encode(fetched.value)
            })
            yield* put.pipe(
              Effect.tap(() =>
                Effect.sync(() => {
                  heldUntil = answer.expiresAt
                })
              ),
              Effect.catch((error) => Effect.logWarning("Shared Jira cache unwritable", { reason: error.reason }))
            )
          })
        ),
        Effect.ensuring(
          Effect.flatMap(Clock.currentTimeMillis, (now) => tierRelease(key, Math.max(now, heldUntil ?? now)))
        )
      )
    })

  /** The cluster-wide single flight: claim and fetch, or wait for the claim holder's answer. */
  const fetchOnce = <A, E>(key: string, codec: AnswerCodec<A>, fetch: Effect.Effect<Fetched<A>, E>) =>
    Effect.gen(function* () {
      let waited = false
      const began = yield* Clock.currentTimeMillis
      while (true) {
        if (yield* tierClaim(key, yield* Clock.currentTimeMillis)) {
          if (!waited) yield* count("miss")
          return yield* fetchHere(key, codec, fetch)
        }
        if (!waited) yield* count("wait")
        waited = true
        yield* Effect.sleep(pollMs)
        const now = yield* Clock.currentTimeMillis
        const answer = yield* tierGet(key, now)
        // Fetched since this wait began: the answer waited for, even if a slow wait outlasted its TTL.
        if (answer !== null && (answer.expiresAt > now || answer.fetchedAt >= began)) {
          const fetched = yield* fromTier(key, codec, answer)
          if (fetched !== null) return fetched
          // Written by a version that encodes it differently, and its claim held until it goes stale: fetch here.
          return yield* fetchHere(key, codec, fetch)
        }
      }
    })

  /** One refresh behind a stale answer, unless one is running here already; never fails. */
  const refreshBehind = <A, E>(key: string, codec: AnswerCodec<A>, fetch: Effect.Effect<Fetched<A>, E>) =>
    Effect.suspend(() => {
      if (refreshing.has(key)) return Effect.void
      refreshing.add(key)
      const refresh = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const answer = yield* tierGet(key, now)
        // Another instance refreshed it already.
        if (answer !== null && answer.expiresAt > now && (yield* fromTier(key, codec, answer)) !== null) return
        // Another instance is refreshing it: a later view picks its answer up from the shared tier.
        if (!(yield* tierClaim(key, now))) return
        yield* count("refresh")
        yield* fetchHere(key, codec, fetch)
      }).pipe(
        Effect.catch((error) => Effect.logWarning("Jira refresh behind a stale answer failed", { error })),
        Effect.ensuring(Effect.sync(() => refreshing.delete(key)))
      )
      return Effect.asVoid(Effect.forkDetach(refresh))
    })

  /** What this instance's leader for a key does: the shared tier, then the cluster-wide flight. */
  const resolve = <A, E>(key: string, codec: AnswerCodec<A>, fetch: Effect.Effect<Fetched<A>, E>, bypass: boolean) =>
    Effect.gen(function* () {
      if (bypass) {
        yield* count("miss")
        return yield* fetchHere(key, codec, fetch)
      }
      const now = yield* Clock.currentTimeMillis
      const answer = yield* tierGet(key, now)
      if (answer !== null) {
        const fetched = yield* fromTier(key, codec, answer)
        if (fetched !== null && answer.expiresAt > now) {
          yield* count("shared-hit")
          return fetched
        }
        if (fetched !== null) {
          yield* count("stale")
          yield* refreshBehind(key, codec, fetch)
          return fetched
        }
      }
      return yield* fetchOnce(key, codec, fetch)
    })

  const through = <A, E>(
    key: string,
    codec: AnswerCodec<A>,
    fetch: Effect.Effect<Fetched<A>, E>
  ): Effect.Effect<Fetched<A>, E> =>
    Effect.gen(function* () {
      const bypass = yield* BypassCache
      if (!bypass) {
        const now = yield* Clock.currentTimeMillis
        const hit = entries.get(key)
        // Every entry under one key holds the same request's answer, so it has this call's types.
        if (hit !== undefined && hit.expiresAt > now) {
          yield* count("hit")
          return hit.value as Fetched<A>
        }
        if (hit !== undefined && hit.staleUntil > now) {
          yield* count("stale")
          yield* refreshBehind(key, codec, fetch)
          return hit.value as Fetched<A>
        }
        const pending = inFlight.get(key)
        if (pending !== undefined) {
          yield* count("joined")
          return yield* Deferred.await(pending as unknown as Deferred.Deferred<Fetched<A>, E>)
        }
      }
      const deferred = yield* Deferred.make<Fetched<unknown>, unknown>()
      inFlight.set(key, deferred)
      // Whatever ends the call (answer, error, interruption) settles the waiters and frees the key.
      return yield* resolve(key, codec, fetch, bypass).pipe(
        Effect.onExit((exit) =>
          Effect.gen(function* () {
            if (inFlight.get(key) === deferred) inFlight.delete(key)
            yield* Deferred.done(deferred, exit as Exit.Exit<Fetched<unknown>, unknown>)
          })
        )
      )
    })

  const avatars = makeAvatarCache(ttlMs)

  const keyOf = (connection: JiraConnection, operation: string, request: unknown) =>
    // The unit separator: JSON escapes it, and PostgreSQL's text (the shared tier) stores it, unlike NUL.
    [connection.site, connection.email, connection.cacheKey, operation, JSON.stringify(request)].join("\u001f")

  const service: IssueSource["Service"] =
    ttlMs <= 0
      ? source
      : {
          searchIssues: (connection, search) =>
            through(keyOf(connection, "search", search), issuePageCodec, source.searchIssues(connection, search)),
          countIssues: (connection, jql) =>
            through(keyOf(connection, "count", jql), countCodec, source.countIssues(connection, jql)),
          listProjects: (connection, query) =>
            through(keyOf(connection, "projects", query), projectPageCodec, source.listProjects(connection, query)),
          getAccount: (connection) => source.getAccount(connection),
          testConnection: (connection) => source.testConnection(connection),
          validateJql: (connection, jql) => source.validateJql(connection, jql),
          avatar: (connection, url) => avatars(connection, url, source.avatar(connection, url))
        }
  return { service, stats, size: () => entries.size, clear: () => entries.clear() }
}

/**
 * Decorates the IssueSource below it with the in-process cache alone.
 * @internal not used by production code: for tests and test support
 */
export const layer = (options: CacheOptions): Layer.Layer<IssueSource, never, IssueSource> =>
  Layer.effect(
    IssueSource,
    Effect.map(IssueSource, (source) => cached(source, options).service)
  )

/** Decorates the IssueSource below it with the in-process cache in front of the SharedTier. */
export const layerShared = (
  options: Omit<CacheOptions, "shared">
): Layer.Layer<IssueSource, never, IssueSource | SharedTier> =>
  Layer.effect(
    IssueSource,
    Effect.gen(function* () {
      const source = yield* IssueSource
      const shared = yield* SharedTier
      return cached(source, { ...options, shared }).service
    })
  )
