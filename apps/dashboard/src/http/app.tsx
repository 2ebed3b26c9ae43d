import { StoreUnavailable } from "@sciple/jira-core"
import { Effect } from "effect"
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { HTTPException } from "hono/http-exception"
import { secureHeaders } from "hono/secure-headers"
import type { PageCacheShape } from "../caching/page-cache.ts"
import { metricsRoute } from "../observability/metrics-route.ts"
import { underRequestSpan } from "../observability/request-context.ts"
import { requestSpan } from "../observability/request-span.ts"
import type { Settings } from "../settings.ts"
import { Layout } from "../views/layout.tsx"
import { apiDocsRoutes } from "./api/docs.ts"
import { apiNotFound } from "./api/method-not-allowed.ts"
import { apiSurfaces } from "./api/serve.ts"
import { problemOf } from "./errors.ts"
import { avatarsSurface } from "./pages/avatars.ts"
import { homeSurface } from "./pages/home.tsx"
import { manageSurfaces } from "./pages/manage/manage.ts"
import { errorPage, viewerOf } from "./pages/page.tsx"
import { projectExactSurface } from "./pages/project-exact.tsx"
import { projectsSurface } from "./pages/projects.tsx"
import { signInRoutes } from "./pages/sign-in.tsx"
import { edgeProblem } from "./problems.ts"
import { refreshLimit } from "./refresh-limit.ts"
import { resolveAuth } from "./resolve-auth.ts"
import type { AppDeps, AppEnv } from "./runtime.ts"
import { sameOrigin } from "./same-origin.ts"
import { staticRoutes } from "./static.ts"
import { strictBodies } from "./strict-bodies.ts"
import { mountSurface } from "./surface.ts"

/** Request bodies are small forms and JSON; anything larger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024

/**
 * The whole HTTP surface: pages, fragments, the JSON API and static files, over the given runtime; with a
 * page cache, signed-in page views are served from it (see `caching/page-cache.ts`).
 */
export const createApp = (
  deps: AppDeps,
  options: { readonly pageCache?: PageCacheShape; readonly metrics?: Settings["metrics"] } = {}
) => {
  const app = new Hono<AppEnv>()

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Avatars come through the app (/avatars), so no image host is trusted.
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"]
      },
      referrerPolicy: "same-origin",
      crossOriginResourcePolicy: "same-origin"
    })
  )

  // First of all: the request's span and latency cover cached pages and refusals too.
  app.use(requestSpan(deps))
  // Nothing dynamic is for a shared cache or the back button's disk copy: signed-in pages, fragments, API answers.
  app.use(async (c, next) => {
    await next()
    // Avatars set their own private, short-lived caching.
    if (!c.req.path.startsWith("/static/") && !(c.req.path === "/avatars" && c.res.ok))
      c.res.headers.set("Cache-Control", "no-store")
  })

  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    // Path only: a query string may carry a one-time setup token.
    await deps.runtime.runPromise(
      Effect.logDebug("request").pipe(
        Effect.annotateLogs({
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started)
        }),
        underRequestSpan
      )
    )
  })

  app.get("/healthz", (c) => c.json({ status: "ok" }))
  app.get("/readyz", async (c) =>
    (await deps.ready())
      ? c.json({ status: "ready" })
      : c.json({ status: "unavailable", reason: "database unreachable" }, 503)
  )
  if (options.metrics !== undefined) metricsRoute(app, deps, options.metrics)
  staticRoutes(app)
  // A signed-in page view served from memory answers here: before the body limit, CSRF and form checks (none
  // applies to a GET) and before the sign-in check, which the cached page stands for (see caching/page-cache.ts).
  if (options.pageCache !== undefined) app.use(options.pageCache.middleware)

  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.req.path.startsWith("/api/")
          ? edgeProblem(c, "PayloadTooLarge", 413, `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`)
          : c.text("Request body too large.", 413)
    })
  )
  // Cross-site writes are refused: Origin or Sec-Fetch-Site must say same-origin, unless a Bearer token signs in.
  app.use(sameOrigin(deps))
  app.use(strictBodies)
  app.use(resolveAuth(deps))
  app.use(refreshLimit({ intervalMs: deps.refreshIntervalMs, now: deps.now }))

  // Public routes; every other route belongs to a surface, mounted behind its sign-in and permission guards.
  app.route("/", signInRoutes(deps))
  app.route("/", apiDocsRoutes())
  for (const surface of [
    homeSurface(deps),
    avatarsSurface(deps),
    projectsSurface(deps),
    projectExactSurface(deps),
    ...manageSurfaces(deps),
    ...apiSurfaces(deps)
  ])
    mountSurface(app, deps, surface)

  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? apiNotFound(c)
      : c.html(
          <Layout title="Not found" viewer={viewerOf(c.var.auth ?? null)} section="none" demo={deps.demo !== null}>
            <section class="panel">
              <h1>Not found</h1>
              <p>There is no page here.</p>
              <a href="/">Back to the home page</a>
            </section>
          </Layout>,
          404
        )
  )

  app.onError(async (error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    // The database went away under a store read no route catches (session lookup, sign-in): a typed 503, not a defect.
    if (error instanceof StoreUnavailable)
      return c.req.path.startsWith("/api/")
        ? c.json(problemOf(error), 503, { "content-type": "application/problem+json" })
        : errorPage(c, deps, error)
    // A defect: logged with its cause for the operator, a plain message for the person.
    await deps.runtime.runPromise(
      Effect.logError("unhandled error", error).pipe(Effect.annotateLogs({ path: c.req.path }))
    )
    return c.req.path.startsWith("/api/")
      ? edgeProblem(c, "Internal", 500, "Something went wrong on our side.")
      : c.html(
          <Layout title="Error" viewer={null} section="none" demo={deps.demo !== null}>
            <section class="panel">
              <h1>Something went wrong</h1>
              <p>Something went wrong on our side. Try again in a moment.</p>
            </section>
          </Layout>,
          500
        )
  })

  return app
}
