import { JiraMetrics } from "@sciple/jira-core"
import { Effect, Metric } from "effect"
import type { Context as HonoContext, MiddlewareHandler } from "hono"
import { matchedRoutes } from "hono/route"
import type { AppDeps, AppEnv } from "../http/runtime.ts"
import { requestSpans } from "./request-context.ts"

/** Time from a request's arrival to its response, by route pattern, method and status. */
const httpRequestSeconds = Metric.histogram("http_server_request_duration_seconds", {
  description: "Time to answer an HTTP request, by route pattern, method and status",
  boundaries: JiraMetrics.LATENCY_BOUNDARIES
})

/** The pattern the request matched (`/projects/:key`), never the path: keys and ids would explode the series. */
const routeOf = (c: HonoContext<AppEnv>): string => {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL")
  return handlers.at(-1)?.path ?? "unmatched"
}

/** Opens the request's span and records its latency; goes first, so cached pages are measured too. */
export const requestSpan =
  (deps: Pick<AppDeps, "runtime">): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const route = routeOf(c)
    const method = c.req.method
    const started = performance.now()
    await deps.runtime.runPromise(
      Effect.useSpan(
        `${method} ${route}`,
        { kind: "server", attributes: { "http.request.method": method, "http.route": route } },
        (span) =>
          Effect.promise(() => requestSpans.run(span, next)).pipe(
            Effect.tap(() => Effect.sync(() => span.attribute("http.response.status_code", c.res.status)))
          )
      )
    )
    await deps.runtime.runPromise(
      Metric.update(
        Metric.withAttributes(httpRequestSeconds, { route, method, status: String(c.res.status) }),
        (performance.now() - started) / 1000
      )
    )
  }
