import type { MiddlewareHandler } from "hono"
import { TtlCache } from "../caching/ttl-cache.ts"
import type { AppEnv, RequestContext } from "./runtime.ts"

/**
 * How soon after a person's refresh in a workspace another one reuses the cached answers instead.
 * @internal exported for its tests
 */
export const REFRESH_INTERVAL_MS = 10_000

/**
 * Limits the refresh control (`?refresh=1`, pages, fragments and API) per person and workspace: within
 * `intervalMs` of that person's last refresh, a refresh reads the cache like any view, so one viewer cannot
 * multiply Jira calls and push the shared Jira account into rate limiting. The decision is taken before any
 * await, so a burst of simultaneous refreshes lets exactly one through. Memory per instance, bounded.
 */
export const refreshLimit = (options: {
  readonly intervalMs?: number | undefined
  readonly now: () => Date
}): MiddlewareHandler<AppEnv> => {
  const intervalMs = options.intervalMs ?? REFRESH_INTERVAL_MS
  const last = new TtlCache<true>({ ttlMs: intervalMs, maxEntries: 10_000 })
  return async (c, next) => {
    const auth = c.get("auth")
    if (c.req.method === "GET" && c.req.query("refresh") === "1" && auth !== null && auth !== undefined) {
      const key = `${auth.workspace.id}\u0000${auth.user.id}`
      const at = options.now().getTime()
      if (last.get(key, at) === undefined) {
        last.set(key, true, at, last.mark())
        c.set("refresh", "fresh")
      } else c.set("refresh", "limited")
    }
    await next()
  }
}

/** The refresh control: `?refresh=1` reads past the cache, unless the person refreshed a moment ago. */
export const wantsFresh = (c: RequestContext) => c.var.refresh === "fresh"

/** A refresh the limit turned into a cached read: the page says so. */
export const refreshLimited = (c: RequestContext) => c.var.refresh === "limited"
