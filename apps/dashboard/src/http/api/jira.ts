import {
  asViewer,
  BypassCache,
  DASHBOARD_VIEW,
  homeSummary,
  InvalidInput,
  type IssueFilters,
  listIssues,
  listProjects,
  projectDashboard
} from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { intParam, MAX_TEXT, textParam } from "../query-params.ts"
import { dashboardDto, homeDto, issuesDto, projectsDto } from "./dto.ts"
import { type ApiParam, type ApiRequest, apiResource } from "./route.ts"
import * as S from "./schemas.ts"

const filterParams: ReadonlyArray<ApiParam> = [
  { name: "status", in: "query", description: "Status category: new, indeterminate or done." },
  { name: "priority", in: "query", description: "A priority name." },
  { name: "assignee", in: "query", description: "An account id, or `unassigned`." },
  { name: "q", in: "query", description: "Text to search for." }
]

const keyParam: ApiParam = { name: "key", in: "path", description: "The Jira project key.", required: true }
const refreshParam: ApiParam = { name: "refresh", in: "query", description: "`1` to read past the cache." }
const limitParam: ApiParam = {
  name: "limit",
  in: "query",
  description: "Items per page, 1 to 100 (default 25); 422 outside those bounds."
}
/** `limit`, read strictly: absent gives the use case's default, anything outside 1..100 a 422 naming it. */
const limitOf = (query: ApiRequest["query"]) =>
  Result.map(intParam("limit", query("limit"), 0, 1, 100), (n) => (n === 0 ? undefined : n))

const filtersOf = (query: ApiRequest["query"]): Effect.Effect<IssueFilters, InvalidInput> => {
  const status = query("status")
  if (status !== undefined && status !== "" && !["new", "indeterminate", "done"].includes(status)) {
    return Effect.fail(InvalidInput.one("status", "Status must be new, indeterminate or done."))
  }
  const opt = (v: string | undefined) => (v === undefined || v === "" ? undefined : v)
  // The same bounds as the pages' filters: an over-long value is refused, not sent into the JQL.
  const checked = Result.all({
    priority: textParam("priority", query("priority"), 100),
    assignee: textParam("assignee", query("assignee"), 128),
    q: textParam("q", query("q"), MAX_TEXT)
  })
  if (Result.isFailure(checked)) return Effect.fail(checked.failure)
  return Effect.succeed({
    statusCategory: opt(status) as IssueFilters["statusCategory"],
    priority: opt(checked.success.priority),
    assignee: opt(checked.success.assignee),
    text: opt(checked.success.q)
  })
}

const fresh = (request: ApiRequest) => Effect.provideService(BypassCache, request.fresh)

/** What the connection sees, for anyone with dashboard.view: the home summary, projects, a project, its issues. */
export const JIRA_READS = apiResource("jira", DASHBOARD_VIEW, [
  {
    method: "get",
    path: "/api/v1/jira/summary",
    summary: "The home widget: open issues with the To Do / In Progress / Done split, scoped by the default JQL.",
    params: [refreshParam],
    status: 200,
    response: S.HomeSummaryDto,
    handle: (r) => homeSummary().pipe(asViewer(r.principal), fresh(r), Effect.map(homeDto))
  },
  {
    method: "get",
    path: "/api/v1/jira/projects",
    summary: "The projects the connection can see, a page at a time.",
    params: [
      { name: "q", in: "query", description: "Matched against project key and name." },
      { name: "page", in: "query", description: "1-based page number (`limit` per page)." },
      limitParam,
      refreshParam
    ],
    status: 200,
    response: S.ProjectsPageDto,
    handle: (r) => {
      const checked = Result.all({
        page: intParam("page", r.query("page"), 1, 1, 10_000),
        q: textParam("q", r.query("q"), 500),
        limit: limitOf(r.query)
      })
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const { q, page, limit } = checked.success
      return listProjects({ query: q ?? "", page, ...(limit === undefined ? {} : { pageSize: limit }) }).pipe(
        asViewer(r.principal),
        fresh(r),
        Effect.map(projectsDto)
      )
    }
  },
  {
    method: "get",
    path: "/api/v1/jira/projects/{key}",
    summary: "A project's dashboard: stat cards, breakdowns from the 100 most recent issues, and the first table page.",
    params: [keyParam, ...filterParams, refreshParam],
    status: 200,
    response: S.ProjectDashboardDto,
    handle: (r) =>
      Effect.flatMap(filtersOf(r.query), (filters) =>
        projectDashboard({ projectKey: r.path("key"), filters }).pipe(
          asViewer(r.principal),
          fresh(r),
          Effect.map(dashboardDto)
        )
      )
  },
  {
    method: "get",
    path: "/api/v1/jira/projects/{key}/issues",
    summary: "A page of a project's issues, filtered; pass `next` back as `cursor` for the next page.",
    params: [
      keyParam,
      ...filterParams,
      { name: "cursor", in: "query", description: "From the previous page's `next`, with the same `limit`." },
      limitParam
    ],
    status: 200,
    response: S.IssuesPageDto,
    handle: (r) => {
      const limit = limitOf(r.query)
      if (Result.isFailure(limit)) return Effect.fail(limit.failure)
      const pageSize = limit.success === undefined ? {} : { pageSize: limit.success }
      return Effect.flatMap(filtersOf(r.query), (filters) =>
        listIssues({ projectKey: r.path("key"), filters, cursor: r.query("cursor") ?? null, ...pageSize }).pipe(
          asViewer(r.principal),
          Effect.map((page) => issuesDto(page.site, page.table, page.jql, page.fetchedAt))
        )
      )
    }
  }
])
