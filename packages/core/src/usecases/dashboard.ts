import { Effect } from "effect"
import { DashboardViewer, SettingsManager } from "../authorization.ts"
import {
  type JiraIssue,
  type JiraProject,
  type StatusSplit,
  statusSplit,
  type Tally,
  tallyByAssignee,
  tallyByPriority
} from "../domain/issues.ts"
import {
  filterClauses,
  hasFilters,
  type IssueFilters,
  projectClause,
  RECENT_ORDER,
  scope,
  splitOrderBy,
  statusCategoryClause
} from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { InvalidInput, JiraInvalidJql, NotFound } from "../errors.ts"
import type { AuditCursor } from "../ports/ConfigStore.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { IssueSource, type JiraConnection } from "../ports/IssueSource.ts"
import { minDate, resolveConnection } from "./support.ts"

/** Jira's page size for searches with fields, and the size of the chart sample. */
export const SAMPLE_SIZE = 100
/**
 * Rows per issue-table page; a divisor of SAMPLE_SIZE so table pages are slices of Jira pages.
 * @internal not used by production code: for tests and test support
 */
export const TABLE_PAGE_SIZE = 25
const PROJECTS_PAGE_SIZE = 25

const countOf = (connection: JiraConnection, jql: string) =>
  IssueSource.use((source) => source.countIssues(connection, jql))

/** Counts by status category, all concurrently; Jira's counts are approximate. */
const splitFor = (connection: JiraConnection, where: string, clauses: ReadonlyArray<string>) =>
  Effect.all(
    {
      todo: countOf(connection, scope(where, [...clauses, statusCategoryClause("new")], "")),
      inProgress: countOf(connection, scope(where, [...clauses, statusCategoryClause("indeterminate")], "")),
      done: countOf(connection, scope(where, [...clauses, statusCategoryClause("done")], ""))
    },
    { concurrency: "unbounded" }
  ).pipe(
    Effect.map(({ todo, inProgress, done }) => ({
      split: statusSplit({ todo: todo.value, inProgress: inProgress.value, done: done.value }),
      fetchedAt: minDate([todo.fetchedAt, inProgress.fetchedAt, done.fetchedAt])
    }))
  )

export interface HomeSummary {
  readonly connectionName: string
  readonly site: SiteUrl
  readonly jql: string
  readonly split: StatusSplit
  readonly fetchedAt: Date
}

/** The home widget: open issues (To Do + In Progress) and Done, scoped by the default JQL. */
export const homeSummary = Effect.fn("homeSummary")(function* () {
  const viewer = yield* DashboardViewer
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const { split, fetchedAt } = yield* splitFor(connection, config.defaultJql, [])
  return {
    connectionName: config.name,
    site: config.baseUrl,
    jql: config.defaultJql,
    split,
    fetchedAt
  } satisfies HomeSummary
})

export interface ProjectsPage {
  readonly site: SiteUrl
  readonly projects: ReadonlyArray<JiraProject>
  readonly query: string
  readonly page: number
  readonly pageSize: number
  readonly total: number
  readonly fetchedAt: Date
}

const MAX_QUERY = 200

/** The projects tab: one page of Jira's own paging per call, so its cost does not grow with the site. */
export const listProjects = Effect.fn("listProjects")(function* (input: {
  readonly query?: string
  readonly page?: number
}) {
  const viewer = yield* DashboardViewer
  const query = (input.query ?? "").trim()
  if (query.length > MAX_QUERY)
    return yield* InvalidInput.one("query", `Search must be at most ${MAX_QUERY} characters.`)
  const page = Math.max(1, Math.floor(input.page ?? 1))
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const result = yield* (yield* IssueSource).listProjects(connection, {
    startAt: (page - 1) * PROJECTS_PAGE_SIZE,
    maxResults: PROJECTS_PAGE_SIZE,
    query
  })
  return {
    site: config.baseUrl,
    projects: result.value.projects,
    query,
    page,
    pageSize: PROJECTS_PAGE_SIZE,
    total: result.value.total,
    fetchedAt: result.fetchedAt
  } satisfies ProjectsPage
})

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,99}$/

export const parseProjectKey = (key: string) => {
  const upper = key.trim().toUpperCase()
  return PROJECT_KEY.test(upper)
    ? Effect.succeed(upper)
    : Effect.fail(
        InvalidInput.one("projectKey", "A project key is letters, digits and underscores, starting with a letter.")
      )
}

/** An issue-table position: which Jira page (by token) and how many of its rows were already shown. */
export interface IssueCursor {
  readonly pageToken: string | null
  readonly skip: number
}

const encodeCursor = (cursor: IssueCursor): string => `${cursor.skip}.${cursor.pageToken ?? ""}`
/** @internal not used by production code: for tests and test support */
export const decodeCursor = (raw: string | null | undefined) => {
  if (raw === null || raw === undefined || raw === "") return Effect.succeed<IssueCursor>({ pageToken: null, skip: 0 })
  const dot = raw.indexOf(".")
  const skip = Number(raw.slice(0, dot))
  const token = raw.slice(dot + 1)
  return dot > 0 &&
    Number.isInteger(skip) &&
    skip >= 0 &&
    skip < SAMPLE_SIZE &&
    skip % TABLE_PAGE_SIZE === 0 &&
    token.length <= 2048
    ? Effect.succeed<IssueCursor>({ pageToken: token === "" ? null : token, skip })
    : Effect.fail(InvalidInput.one("cursor", "The page link is not valid any more. Reload the list."))
}

export interface IssueTablePage {
  readonly issues: ReadonlyArray<JiraIssue>
  readonly next: string | null
  /** Jira refused the page link's token (expired or foreign): these rows are the list's first page again. */
  readonly restarted?: boolean
}

/** Slices one table page out of a Jira page and says where the next one starts. */
const tablePage = (
  issues: ReadonlyArray<JiraIssue>,
  nextPageToken: string | null,
  cursor: IssueCursor
): IssueTablePage => {
  const rows = issues.slice(cursor.skip, cursor.skip + TABLE_PAGE_SIZE)
  const shown = cursor.skip + rows.length
  if (shown < issues.length) return { issues: rows, next: encodeCursor({ pageToken: cursor.pageToken, skip: shown }) }
  return { issues: rows, next: nextPageToken === null ? null : encodeCursor({ pageToken: nextPageToken, skip: 0 }) }
}

/** The issue table's order: the default JQL's own ORDER BY, else most recent first. */
export const tableOrder = (defaultJql: string) => {
  const order = splitOrderBy(defaultJql).orderBy
  return order.length > 0 ? order : RECENT_ORDER
}
const sameOrder = (a: string, b: string) =>
  a.replace(/\s+/g, " ").toLowerCase() === b.replace(/\s+/g, " ").toLowerCase()

const searchPage = (connection: JiraConnection, jql: string, pageToken: string | null) =>
  IssueSource.use((source) => source.searchIssues(connection, { jql, pageSize: SAMPLE_SIZE, pageToken }))

/** A Jira "does not exist for the field 'project'" answer is a missing project, not bad JQL. */
export const projectNotFound =
  (projectKey: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | NotFound, R> =>
    Effect.mapError(self, (error) =>
      error instanceof JiraInvalidJql && error.messages.some((m) => /field 'project'/i.test(m))
        ? new NotFound({ entity: "project", id: projectKey })
        : error
    )

const issuePage = Effect.fnUntraced(function* (
  connection: JiraConnection,
  defaultJql: string,
  projectKey: string,
  filters: IssueFilters,
  cursor: IssueCursor
) {
  const jql = scope(defaultJql, [projectClause(projectKey), ...filterClauses(filters)], tableOrder(defaultJql))
  const page = yield* searchPage(connection, jql, cursor.pageToken)
  if (page.value.restarted === true) {
    const first = tablePage(page.value.issues, page.value.nextPageToken, { pageToken: null, skip: 0 })
    return { jql, fetchedAt: page.fetchedAt, table: { ...first, restarted: true } }
  }
  return { jql, fetchedAt: page.fetchedAt, table: tablePage(page.value.issues, page.value.nextPageToken, cursor) }
})

/** The issue table of a project: filtered, one page at a time ("load more" passes the cursor back). */
export const listIssues = Effect.fn("listIssues")(function* (input: {
  readonly projectKey: string
  readonly filters: IssueFilters
  readonly cursor?: string | null
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const cursor = yield* decodeCursor(input.cursor)
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const page = yield* issuePage(connection, config.defaultJql, projectKey, input.filters, cursor).pipe(
    projectNotFound(projectKey)
  )
  return { site: config.baseUrl, projectKey, filters: input.filters, ...page }
})

export interface ProjectDashboard {
  readonly site: SiteUrl
  readonly project: JiraProject
  readonly jql: string
  readonly split: StatusSplit & { readonly total: number }
  readonly byPriority: ReadonlyArray<Tally>
  readonly byAssignee: ReadonlyArray<Tally>
  /** The people and priorities seen in the sample, for the table's filter choices. */
  readonly assignees: ReadonlyArray<{ readonly accountId: string; readonly displayName: string }>
  readonly priorities: ReadonlyArray<string>
  /** How many issues the charts were tallied from (at most SAMPLE_SIZE). */
  readonly sampleSize: number
  readonly filters: IssueFilters
  readonly table: IssueTablePage
  readonly fetchedAt: Date
}

/**
 * The project page. Every Jira call it needs runs concurrently: three status counts, the 100 most
 * recent issues (the chart sample, whose first rows are also the table's first page when no filter is
 * set and the table's order is the sample's), and the project itself.
 */
export const projectDashboard = Effect.fn("projectDashboard")(function* (input: {
  readonly projectKey: string
  readonly filters?: IssueFilters
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const filters = input.filters ?? {}
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const source = yield* IssueSource
  const where = splitOrderBy(config.defaultJql).where
  const sampleJql = scope(where, [projectClause(projectKey)], RECENT_ORDER)
  const sharesSample = !hasFilters(filters) && sameOrder(tableOrder(config.defaultJql), RECENT_ORDER)
  const start = { pageToken: null, skip: 0 }
  const { counts, sample, projects, table } = yield* Effect.all(
    {
      counts: splitFor(connection, where, [projectClause(projectKey)]),
      sample: searchPage(connection, sampleJql, null),
      // By exact key: a substring query misses the project once more than a page of others match it.
      projects: source.listProjects(connection, { startAt: 0, maxResults: 1, query: "", keys: [projectKey] }),
      table: sharesSample ? Effect.succeed(null) : issuePage(connection, config.defaultJql, projectKey, filters, start)
    },
    { concurrency: "unbounded" }
  ).pipe(projectNotFound(projectKey))
  const project = projects.value.projects.find((candidate) => candidate.key === projectKey)
  if (project === undefined) return yield* new NotFound({ entity: "project", id: projectKey })
  const issues = sample.value.issues
  return {
    site: config.baseUrl,
    project,
    jql: sampleJql,
    split: { ...counts.split, total: counts.split.open + counts.split.done },
    byPriority: tallyByPriority(issues),
    byAssignee: tallyByAssignee(issues),
    assignees: [
      ...new Map(
        issues.flatMap((i) => (i.assignee === null ? [] : [[i.assignee.accountId, i.assignee.displayName] as const]))
      ).entries()
    ]
      .map(([accountId, displayName]) => ({ accountId, displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName)),
    priorities: [...new Set(issues.flatMap((i) => (i.priority === null ? [] : [i.priority.name])))],
    sampleSize: issues.length,
    filters,
    table: table === null ? tablePage(issues, sample.value.nextPageToken, start) : table.table,
    fetchedAt: minDate([
      counts.fetchedAt,
      sample.fetchedAt,
      projects.fetchedAt,
      ...(table === null ? [] : [table.fetchedAt])
    ])
  } satisfies ProjectDashboard
})

/** Manage > Audit log: the workspace's events, newest first. */
export const listAuditLog = Effect.fn("listAuditLog")(function* (input: {
  readonly before?: AuditCursor | null
  readonly limit?: number
}) {
  const manager = yield* SettingsManager
  const limit = Math.min(100, Math.max(1, Math.floor(input.limit ?? 25)))
  return yield* (yield* ConfigStore).listAudit(manager.workspaceId, { limit, before: input.before ?? null })
})
