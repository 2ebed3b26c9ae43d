import { timingSafeEqual } from "node:crypto"
import { getConnInfo } from "@hono/node-server/conninfo"
import { Redacted } from "effect"
import { PrometheusMetrics } from "effect/observability"
import type { Hono } from "hono"
import type { AppDeps, AppEnv } from "../http/runtime.ts"
import type { Settings } from "../settings.ts"
import { makeAddressAllow } from "./address-allow.ts"

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * `GET /metrics` in Prometheus's text format: for the addresses in `METRICS_ALLOW` (the socket's own peer, not
 * a forwarded header a client could write), or for a request with `Authorization: Bearer <METRICS_TOKEN>`.
 * Anyone else gets a 404, as if there were nothing here.
 */
export const metricsRoute = (app: Hono<AppEnv>, deps: Pick<AppDeps, "runtime">, access: Settings["metrics"]) => {
  const allowed = makeAddressAllow(access.allow)
  app.get("/metrics", async (c) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const byToken = bearer !== undefined && access.token !== null && sameSecret(bearer, Redacted.value(access.token))
    if (!byToken && !allowed(peerAddress(c))) return c.text("Not found.", 404)
    const body = await deps.runtime.runPromise(PrometheusMetrics.format())
    return c.body(body, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "cache-control": "no-store"
    })
  })
}

/** The socket's peer; undefined when the app runs without a Node socket (in-process requests). */
const peerAddress = (c: Parameters<typeof getConnInfo>[0]): string | undefined => {
  try {
    return getConnInfo(c).remote.address
  } catch {
    return undefined
  }
}
