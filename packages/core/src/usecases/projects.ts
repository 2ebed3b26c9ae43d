import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import type { JiraProject } from "../domain/issues.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { InvalidInput } from "../errors.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { pageSizeOf } from "./jira-reads.ts"
import { resolveConnection } from "./support.ts"

const PROJECTS_PAGE_SIZE = 25
const MAX_QUERY = 200

export interface ProjectsPage {
  readonly site: SiteUrl
  readonly projects: ReadonlyArray<JiraProject>
  readonly query: string
  readonly page: number
  readonly pageSize: number
  readonly total: number
  readonly fetchedAt: Date
}

/** The projects tab: one page of Jira's own paging per call, so its cost does not grow with the site. */
export const listProjects = Effect.fn("listProjects")(function* (input: {
  readonly query?: string
  readonly page?: number
  /** Projects per page, 1 to 100 (Jira's own bound); the projects tab's 25 when absent. */
  readonly pageSize?: number
}) {
  const viewer = yield* DashboardViewer
  const query = (input.query ?? "").trim()
  if (query.length > MAX_QUERY)
    return yield* InvalidInput.one("query", `Search must be at most ${MAX_QUERY} characters.`)
  const page = Math.max(1, Math.floor(input.page ?? 1))
  const pageSize = yield* pageSizeOf(input.pageSize, PROJECTS_PAGE_SIZE)
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const result = yield* (yield* IssueSource).listProjects(connection, {
    startAt: (page - 1) * pageSize,
    maxResults: pageSize,
    query
  })
  return {
    site: config.baseUrl,
    projects: result.value.projects,
    query,
    page,
    pageSize,
    total: result.value.total,
    fetchedAt: result.fetchedAt
  } satisfies ProjectsPage
})
