import {
  asViewer,
  BypassCache,
  DASHBOARD_VIEW,
  listIssues,
  listProjects,
  projectDashboard,
  trustedViewQuery,
  type ViewQuery
} from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { type Context, Hono } from "hono"
import { IssueRows } from "../../views/components.tsx"
import {
  filterParams,
  IssuesFailed,
  IssueTable,
  LoadMore,
  ProjectDashboardView,
  ProjectErrorView,
  ProjectView,
  ShowingCount
} from "../../views/project.tsx"
import { ProjectResults, ProjectSearchRefused, ProjectsView, projectsUrl } from "../../views/projects.tsx"
import { statusOf } from "../errors.ts"
import { refreshLimited, wantsFresh } from "../refresh-limit.ts"
import { type AppDeps, attempt, type SignedInEnv } from "../runtime.ts"
import type { Surface } from "../surface.ts"
import { errorPage, page } from "./page.tsx"

const readQuery = (c: Context) => {
  const query = (c.req.query("q") ?? "").slice(0, 500)
  const pageNumber = Number(c.req.query("page") ?? "1")
  return { query, page: Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= 100_000 ? pageNumber : 1 }
}

/** Filters and sort from the URL, as given: the use case drops values the project does not have. */
export const readViewQuery = (c: Context): ViewQuery => {
  const clip = (v: string | undefined, max: number) => (v === undefined || v === "" ? undefined : v.slice(0, max))
  return {
    status: clip(c.req.query("status"), 200),
    priority: clip(c.req.query("priority"), 100),
    assignee: clip(c.req.query("assignee"), 128),
    text: clip(c.req.query("q"), 200),
    sort: clip(c.req.query("sort"), 20),
    direction: clip(c.req.query("dir"), 10)
  }
}

const countParam = (raw: string | undefined) => {
  const n = Number(raw ?? "0")
  return Number.isInteger(n) && n >= 0 && n <= 1_000_000_000 ? n : 0
}

/** Projects: the list with search and paging, a project's dashboard, and their htmx fragments. */
export const projectsSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()

  const projects = (c: Context<SignedInEnv>, query: string, pageNumber: number) =>
    attempt(
      deps,
      listProjects({ query, page: pageNumber }).pipe(
        asViewer(c.var.auth.principal),
        Effect.provideService(BypassCache, wantsFresh(c))
      )
    )

  routes.get("/projects", async (c) => {
    const { query, page: pageNumber } = readQuery(c)
    const result = await projects(c, query, pageNumber)
    if (
      Result.isFailure(result) &&
      (result.failure._tag === "NotPermitted" || result.failure._tag === "InvalidInput")
    ) {
      return errorPage(c, deps, result.failure)
    }
    return page(
      c,
      deps,
      "Projects",
      "projects",
      <ProjectsView
        query={query}
        result={result}
        now={deps.now()}
        freshForMs={deps.jiraFreshForMs}
        limited={refreshLimited(c)}
      />
    )
  })

  routes.get("/fragments/projects", async (c) => {
    const { query, page: pageNumber } = readQuery(c)
    const result = await projects(c, query, pageNumber)
    c.header("HX-Push-Url", projectsUrl(query.trim(), pageNumber))
    if (Result.isFailure(result) && result.failure._tag === "InvalidInput")
      return c.html(<ProjectSearchRefused message={result.failure.message} />, 422)
    return c.html(
      <ProjectResults result={result} now={deps.now()} freshForMs={deps.jiraFreshForMs} limited={refreshLimited(c)} />
    )
  })

  const dashboard = (c: Context<SignedInEnv>) =>
    attempt(
      deps,
      projectDashboard({ projectKey: c.req.param("key") ?? "", query: readViewQuery(c) }).pipe(
        asViewer(c.var.auth.principal),
        Effect.provideService(BypassCache, wantsFresh(c))
      )
    )

  routes.get("/projects/:key", async (c) => {
    const result = await dashboard(c)
    if (Result.isSuccess(result))
      return page(
        c,
        deps,
        result.success.project.name,
        "projects",
        <ProjectDashboardView
          d={result.success}
          now={deps.now()}
          freshForMs={deps.jiraFreshForMs}
          limited={refreshLimited(c)}
        />
      )
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
  })

  // What the filters and sort change: the JQL line, the counts, the charts and the table.
  routes.get("/fragments/projects/:key/view", async (c) => {
    const result = await dashboard(c)
    if (Result.isFailure(result))
      return c.html(<IssuesFailed message={result.failure.message} inPlaceOf="view" />, statusOf(result.failure))
    const d = result.success
    c.header("HX-Push-Url", `/projects/${encodeURIComponent(d.project.key)}${filterParams(d.filters, {}, d.sort)}`)
    return c.html(<ProjectView d={d} now={deps.now()} />)
  })

  routes.get("/fragments/projects/:key/issues", async (c) => {
    const { filters, sort } = trustedViewQuery(readViewQuery(c))
    const cursor = c.req.query("cursor") ?? null
    const result = await attempt(
      deps,
      listIssues({ projectKey: c.req.param("key"), filters, sort, cursor }).pipe(asViewer(c.var.auth.principal))
    )
    if (Result.isFailure(result))
      return c.html(
        <IssuesFailed message={result.failure.message} inPlaceOf={cursor === null ? "table" : "load-more"} />,
        statusOf(result.failure)
      )
    const r = result.success
    if (cursor !== null && r.table.restarted === true) {
      // Rows of the first page appended below later ones would repeat: the whole table starts over instead.
      c.header("HX-Retarget", "#issue-table")
      c.header("HX-Reswap", "outerHTML")
    } else if (cursor !== null) {
      const progress = {
        shown: countParam(c.req.query("shown")) + r.table.issues.length,
        total: countParam(c.req.query("total"))
      }
      return c.html(
        <>
          <IssueRows issues={r.table.issues} site={r.site} now={deps.now()} />
          <LoadMore projectKey={r.projectKey} filters={filters} sort={sort} next={r.table.next} progress={progress} />
          {progress.total > 0 && <ShowingCount progress={progress} oob />}
        </>
      )
    }
    c.header("HX-Push-Url", `/projects/${encodeURIComponent(r.projectKey)}${filterParams(filters, {}, sort)}`)
    return c.html(
      <IssueTable
        projectKey={r.projectKey}
        site={r.site}
        filters={filters}
        sort={sort}
        table={r.table}
        now={deps.now()}
      />
    )
  })

  return { kind: "page", base: "/", permission: DASHBOARD_VIEW, routes }
}
