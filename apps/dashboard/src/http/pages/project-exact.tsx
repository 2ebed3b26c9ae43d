import { asViewer, BypassCache, DASHBOARD_VIEW, exactCounts, exportIssues } from "@sciple/jira-core"
import { Effect, Result, Stream } from "effect"
import { Hono } from "hono"
import { CountAllFailed, ExactCharts } from "../../views/exact-counts.tsx"
import { csvFailure, csvHeader, csvPart } from "../../views/issues-csv.ts"
import { ProjectErrorView } from "../../views/project.tsx"
import { statusOf } from "../errors.ts"
import { wantsFresh } from "../refresh-limit.ts"
import { type AppDeps, type AppServices, attempt, run, type SignedInEnv } from "../runtime.ts"
import type { Surface } from "../surface.ts"
import { errorPage, page } from "./page.tsx"
import { readViewQuery } from "./projects.tsx"

/**
 * A project's counts beyond the chart sample ("Count all", an htmx fragment) and its issue table as a CSV
 * download; both read the filters (and the CSV the sort) from the same query parameters as the page, unknown
 * values dropped as there.
 */
export const projectExactSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()

  routes.get("/fragments/projects/:key/exact-counts", async (c) => {
    const result = await attempt(
      deps,
      exactCounts({ projectKey: c.req.param("key"), query: readViewQuery(c) }).pipe(
        asViewer(c.var.auth.principal),
        Effect.provideService(BypassCache, wantsFresh(c))
      )
    )
    if (Result.isSuccess(result)) return c.html(<ExactCharts exact={result.success} now={deps.now()} />)
    // The sampled charts stay; the reason goes beside the control.
    c.header("HX-Retarget", "#count-all-result")
    c.header("HX-Reswap", "innerHTML")
    return c.html(<CountAllFailed message={result.failure.message} />, statusOf(result.failure))
  })

  routes.get("/projects/:key/issues.csv", async (c) => {
    const result = await attempt(
      deps,
      exportIssues({ projectKey: c.req.param("key"), query: readViewQuery(c) }).pipe(asViewer(c.var.auth.principal))
    )
    if (Result.isFailure(result)) {
      const error = result.failure
      if (statusOf(error) < 500 && error._tag !== "NotConnected" && error._tag !== "JiraInvalidJql")
        return errorPage(c, deps, error)
      return page(
        c,
        deps,
        c.req.param("key"),
        "projects",
        <ProjectErrorView projectKey={c.req.param("key")} message={error.message} retryUrl={c.req.url} />,
        statusOf(error) as 502
      )
    }
    const { site, projectKey, parts } = result.success
    const csv = Stream.concat(
      Stream.succeed(csvHeader()),
      parts.pipe(
        Stream.map((part) => csvPart(part, site)),
        // Past the first page the status is sent: a failure ends the file with a line that says so.
        Stream.catch((error) => Stream.succeed(csvFailure(error.message)))
      )
    ).pipe(Stream.encodeText)
    // The rest of the walk runs in the app's context, and stops when the person cancels the download.
    const context = await run(deps, Effect.context<AppServices>())
    c.header("Content-Type", "text/csv; charset=utf-8")
    c.header("Content-Disposition", `attachment; filename="${projectKey}-issues.csv"`)
    c.header("Cache-Control", "no-store")
    return c.body(Stream.toReadableStreamWith(csv, context, { signal: c.req.raw.signal }))
  })

  return { kind: "page", base: "/", permission: DASHBOARD_VIEW, routes }
}
