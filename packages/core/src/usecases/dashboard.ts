import { Effect } from "effect"
import { DashboardViewer, SettingsManager } from "../authorization.ts"
import {
  comparePriorities,
  type IssuePage,
  type JiraIssue,
  type JiraProject,
  type StatusCategory,
  type StatusSplit,
  statusSplit,
  type Tally,
  tallyByAssignee,
  tallyByPriority
} from "../domain/issues.ts"
import {
  categoryClause,
  hasFilters,
  type IssueFilters,
  type IssueSort,
  isSortColumn,
  NO_PRIORITY_FILTER,
  RECENT_ORDER,
  scope,
  sortOrder,
  splitOrderBy,
  statusCategoryClause,
  UNASSIGNED_FILTER,
  type View,
  viewJql
} from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { InvalidInput, JiraInvalidJql, NotFound } from "../errors.ts"
import type { AuditCursor } from "../ports/ConfigStore.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { type Fetched, IssueSource, type JiraConnection } from "../ports/IssueSource.ts"
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
  /** The JQL each part of the split was counted with (the widget's links open them in Jira). */
  readonly splitJql: Readonly<Record<"open" | "todo" | "inProgress" | "done", string>>
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
    splitJql: {
      open: scope(config.defaultJql, [`statusCategory IN ("new", "indeterminate")`], ""),
      todo: scope(config.defaultJql, [statusCategoryClause("new")], ""),
      inProgress: scope(config.defaultJql, [statusCategoryClause("indeterminate")], ""),
      done: scope(config.defaultJql, [statusCategoryClause("done")], "")
    },
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

/** A caller's page size: a whole number from 1 to SAMPLE_SIZE (Jira's largest page), else the default. */
const pageSizeOf = (size: number | undefined, fallback: number) =>
  size === undefined
    ? Effect.succeed(fallback)
    : Number.isInteger(size) && size >= 1 && size <= SAMPLE_SIZE
      ? Effect.succeed(size)
      : Effect.fail(InvalidInput.one("limit", `limit must be a whole number from 1 to ${SAMPLE_SIZE}.`))

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
/**
 * A cursor is only valid with the page size that made it (`skip` is a multiple of it).
 * @internal not used by production code: for tests and test support
 */
export const decodeCursor = (raw: string | null | undefined, pageSize = TABLE_PAGE_SIZE) => {
  if (raw === null || raw === undefined || raw === "") return Effect.succeed<IssueCursor>({ pageToken: null, skip: 0 })
  const dot = raw.indexOf(".")
  const skip = Number(raw.slice(0, dot))
  const token = raw.slice(dot + 1)
  return dot > 0 &&
    Number.isInteger(skip) &&
    skip >= 0 &&
    skip < SAMPLE_SIZE &&
    skip % pageSize === 0 &&
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
  cursor: IssueCursor,
  pageSize = TABLE_PAGE_SIZE
): IssueTablePage => {
  const rows = issues.slice(cursor.skip, cursor.skip + pageSize)
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
  cursor: IssueCursor,
  ordering: string,
  pageSize = TABLE_PAGE_SIZE
) {
  const jql = viewJql({ base: defaultJql, projectKey, filters }, [], ordering)
  const page = yield* searchPage(connection, jql, cursor.pageToken)
  if (page.value.restarted === true) {
    const first = tablePage(page.value.issues, page.value.nextPageToken, { pageToken: null, skip: 0 }, pageSize)
    return { jql, fetchedAt: page.fetchedAt, table: { ...first, restarted: true } }
  }
  return {
    jql,
    fetchedAt: page.fetchedAt,
    table: tablePage(page.value.issues, page.value.nextPageToken, cursor, pageSize)
  }
})

/** The issue table of a project: filtered, one page at a time ("load more" passes the cursor back). */
export const listIssues = Effect.fn("listIssues")(function* (input: {
  readonly projectKey: string
  readonly filters: IssueFilters
  readonly sort?: IssueSort | null
  readonly cursor?: string | null
  /** Rows per page, 1 to 100; the table's 25 when absent. A cursor goes with the page size that made it. */
  readonly pageSize?: number
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const pageSize = yield* pageSizeOf(input.pageSize, TABLE_PAGE_SIZE)
  const cursor = yield* decodeCursor(input.cursor, pageSize)
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const page = yield* issuePage(
    connection,
    config.defaultJql,
    projectKey,
    input.filters,
    cursor,
    input.sort === undefined || input.sort === null ? tableOrder(config.defaultJql) : sortOrder(input.sort),
    pageSize
  ).pipe(projectNotFound(projectKey))
  return { site: config.baseUrl, projectKey, filters: input.filters, ...page }
})

/** One of the project's statuses, as seen in the sample, for the status filter. */
interface StatusOption {
  readonly name: string
  readonly category: StatusCategory
}

/** The filters and sort as the URL gives them: untrusted text, checked against what the project has. */
export interface ViewQuery {
  readonly status?: string | undefined
  readonly priority?: string | undefined
  readonly assignee?: string | undefined
  readonly text?: string | undefined
  readonly sort?: string | undefined
  readonly direction?: string | undefined
}

/** The status filter's URL value for a specific status (category keys and "other" stand alone). */
export const STATUS_VALUE_PREFIX = "status:"
const CATEGORY_VALUES: Record<string, StatusCategory> = {
  new: "new",
  indeterminate: "indeterminate",
  done: "done",
  other: "undefined"
}
/** The status filter's URL value of a category ("other" for statuses without one). */
export const categoryValue = (category: StatusCategory): string => (category === "undefined" ? "other" : category)

const MAX_TEXT = 200

/** What the project's sample knows: the values the filters offer. */
interface Known {
  readonly statuses: ReadonlyArray<StatusOption>
  readonly priorities: ReadonlyArray<string>
  readonly assignees: ReadonlyArray<{ readonly accountId: string; readonly displayName: string }>
}

/**
 * @internal exported for its tests
 * Reads the URL's filters and sort. A value the project does not offer is dropped with a notice, so a
 * hand-edited or old bookmark still shows the page (and no unknown value reaches Jira).
 */
export const readViewQuery = (
  query: ViewQuery,
  known: Known
): { readonly filters: IssueFilters; readonly sort: IssueSort | null; readonly notices: ReadonlyArray<string> } => {
  const notices: Array<string> = []
  const given = (v: string | undefined) => (v === undefined || v === "" ? undefined : v)
  let status: IssueFilters["status"]
  const rawStatus = given(query.status)
  if (rawStatus !== undefined) {
    const category = Object.hasOwn(CATEGORY_VALUES, rawStatus) ? CATEGORY_VALUES[rawStatus] : undefined
    const name = rawStatus.startsWith(STATUS_VALUE_PREFIX) ? rawStatus.slice(STATUS_VALUE_PREFIX.length) : null
    if (category !== undefined) status = { kind: "category", category }
    else if (name !== null && known.statuses.some((s) => s.name === name)) status = { kind: "status", name }
    else notices.push("Ignored an unknown status filter value.")
  }
  let priority = given(query.priority)
  if (priority !== undefined && priority !== NO_PRIORITY_FILTER && !known.priorities.includes(priority)) {
    notices.push("Ignored an unknown priority filter value.")
    priority = undefined
  }
  let assignee = given(query.assignee)
  if (
    assignee !== undefined &&
    assignee !== UNASSIGNED_FILTER &&
    !known.assignees.some((a) => a.accountId === assignee)
  ) {
    notices.push("Ignored an unknown assignee filter value.")
    assignee = undefined
  }
  const text = given(query.text?.trim())?.slice(0, MAX_TEXT)
  let sort: IssueSort | null = null
  const column = given(query.sort)
  const direction = given(query.direction)
  if (column !== undefined && !isSortColumn(column)) notices.push("Ignored an unknown sort column.")
  else if (column !== undefined) {
    if (direction !== undefined && direction !== "asc" && direction !== "desc")
      notices.push("Ignored an unknown sort direction.")
    const dir = direction === "asc" || direction === "desc" ? direction : column === "updated" ? "desc" : "asc"
    sort = { column, direction: dir }
  }
  return { filters: { status, priority, assignee, text }, sort, notices }
}

/**
 * Filters and sort from links the page itself made (Load more): read as given, without the project's sample
 * to check them against; a value Jira refuses fails that one request.
 */
export const trustedViewQuery = (query: ViewQuery) => {
  const name =
    query.status?.startsWith(STATUS_VALUE_PREFIX) === true ? query.status.slice(STATUS_VALUE_PREFIX.length) : null
  return readViewQuery(query, {
    statuses: name === null ? [] : [{ name, category: "undefined" }],
    priorities: query.priority === undefined ? [] : [query.priority],
    assignees: query.assignee === undefined ? [] : [{ accountId: query.assignee, displayName: query.assignee }]
  })
}

/** The parts of the view's total; their JQLs are the ones the counts were made with and the cards link to. */
interface ViewCounts {
  readonly todo: number
  readonly inProgress: number
  readonly done: number
  /** Statuses without a category: Jira's "No category". */
  readonly other: number
  readonly open: number
  readonly total: number
}

export interface ProjectDashboard {
  readonly site: SiteUrl
  readonly project: JiraProject
  /** The view (default JQL, project, filters): `Jql.viewJql(view, clauses)` is the JQL of every number shown. */
  readonly view: View
  /** The JQL of the whole view (the total, the charts' scope), without an ORDER BY. */
  readonly jql: string
  readonly split: ViewCounts
  /** The JQL each part of the split was counted with. */
  readonly splitJql: Readonly<Record<"total" | "todo" | "inProgress" | "done" | "other", string>>
  readonly byPriority: ReadonlyArray<Tally>
  readonly byAssignee: ReadonlyArray<Tally>
  /** The people, priorities and statuses seen in the project's sample, for the table's filter choices. */
  readonly assignees: ReadonlyArray<{ readonly accountId: string; readonly displayName: string }>
  readonly priorities: ReadonlyArray<string>
  readonly statuses: ReadonlyArray<StatusOption>
  /** How many issues the charts were tallied from (at most SAMPLE_SIZE). */
  readonly sampleSize: number
  readonly filters: IssueFilters
  readonly sort: IssueSort | null
  /** URL values that were dropped, said on the page. */
  readonly notices: ReadonlyArray<string>
  readonly table: IssueTablePage
  readonly fetchedAt: Date
}

/** What the project's sample offers the filters: the values a URL is checked against. */
const knownOf = (issues: ReadonlyArray<JiraIssue>): Known => ({
  assignees: [
    ...new Map(
      issues.flatMap((i) => (i.assignee === null ? [] : [[i.assignee.accountId, i.assignee.displayName] as const]))
    ).entries()
  ]
    .map(([accountId, displayName]) => ({ accountId, displayName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName)),
  priorities: [...new Set(issues.flatMap((i) => (i.priority === null ? [] : [i.priority.name])))].sort(
    comparePriorities
  ),
  statuses: [...new Map(issues.map((i) => [i.status.name, i.status.category] as const)).entries()]
    .map(([name, category]) => ({ name, category }))
    .sort((a, b) => a.name.localeCompare(b.name))
})

/**
 * The view a URL asks for (filters and sort), checked as the page checks it: a status by name, a priority or
 * a person against the project's unfiltered sample (the page's own first search, so usually answered by the
 * cache), fetched only when the URL names one. Unknown values are dropped with a notice, as on the page.
 */
export const checkedView = Effect.fnUntraced(function* (
  connection: JiraConnection,
  defaultJql: string,
  projectKey: string,
  query: ViewQuery
) {
  const bare: View = { base: defaultJql, projectKey, filters: {} }
  const named = (v: string | undefined, ...standalone: ReadonlyArray<string>) =>
    v !== undefined && v !== "" && !standalone.includes(v)
  const needsSample =
    query.status?.startsWith(STATUS_VALUE_PREFIX) === true ||
    named(query.priority, NO_PRIORITY_FILTER) ||
    named(query.assignee, UNASSIGNED_FILTER)
  const sample = needsSample
    ? yield* searchPage(connection, viewJql(bare, [], RECENT_ORDER), null).pipe(projectNotFound(projectKey))
    : null
  const known = sample === null ? { statuses: [], priorities: [], assignees: [] } : knownOf(sample.value.issues)
  const read = readViewQuery(query, known)
  return {
    view: { ...bare, filters: read.filters } satisfies View,
    sort: read.sort,
    notices: read.notices,
    known,
    /** The unfiltered sample, when it was needed. */
    sample
  }
})

/**
 * The view's counts: To Do, In Progress and Done from Jira (three calls, concurrently). Statuses without a
 * category are rare: they are counted from the sample when it holds every issue of the view, by a fourth
 * call only when an incomplete sample shows some, and taken as none otherwise.
 */
const viewCounts = Effect.fnUntraced(function* (connection: JiraConnection, view: View) {
  const jqls = {
    total: viewJql(view),
    todo: viewJql(view, [categoryClause("new")]),
    inProgress: viewJql(view, [categoryClause("indeterminate")]),
    done: viewJql(view, [categoryClause("done")]),
    other: viewJql(view, [categoryClause("undefined")])
  }
  const { todo, inProgress, done } = yield* Effect.all(
    {
      todo: countOf(connection, jqls.todo),
      inProgress: countOf(connection, jqls.inProgress),
      done: countOf(connection, jqls.done)
    },
    { concurrency: "unbounded" }
  )
  return { jqls, todo, inProgress, done }
})

const otherCount = (connection: JiraConnection, jql: string, sample: Fetched<IssuePage>) => {
  const inSample = sample.value.issues.filter((i) => i.status.category === "undefined").length
  return sample.value.nextPageToken === null || inSample === 0
    ? Effect.succeed({ value: inSample, fetchedAt: sample.fetchedAt })
    : countOf(connection, jql)
}

/**
 * The project page. With no filter, every Jira call it needs runs concurrently: three status counts, the 100
 * most recent issues (the chart sample, whose first rows are also the table's first page when the table's
 * order is the sample's), and the project itself. With filters, the unfiltered sample comes first (it says
 * which filter values the project has), then the filtered counts and sample.
 */
export const projectDashboard = Effect.fn("projectDashboard")(function* (input: {
  readonly projectKey: string
  /** Trusted filters (already checked); `query` is read instead when given. */
  readonly filters?: IssueFilters
  readonly query?: ViewQuery
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const source = yield* IssueSource
  const bare: View = { base: config.defaultJql, projectKey, filters: {} }
  const mayFilter =
    input.query !== undefined
      ? [input.query.status, input.query.priority, input.query.assignee, input.query.text].some(
          (v) => v !== undefined && v.trim() !== ""
        )
      : hasFilters(input.filters ?? {})
  const first = yield* Effect.all(
    {
      counts: mayFilter ? Effect.succeed(null) : viewCounts(connection, bare),
      sample: searchPage(connection, viewJql(bare, [], RECENT_ORDER), null),
      // By exact key: a substring query misses the project once more than a page of others match it.
      projects: source.listProjects(connection, { startAt: 0, maxResults: 1, query: "", keys: [projectKey] })
    },
    { concurrency: "unbounded" }
  ).pipe(projectNotFound(projectKey))
  const project = first.projects.value.projects.find((candidate) => candidate.key === projectKey)
  if (project === undefined) return yield* new NotFound({ entity: "project", id: projectKey })
  const known = knownOf(first.sample.value.issues)
  const read =
    input.query !== undefined
      ? readViewQuery(input.query, known)
      : { filters: input.filters ?? {}, sort: null, notices: [] }
  const view: View = { base: config.defaultJql, projectKey, filters: read.filters }
  const filtered = hasFilters(read.filters)
  const tableOrdering = read.sort === null ? tableOrder(config.defaultJql) : sortOrder(read.sort)
  const { counts, sample } = yield* Effect.all(
    {
      counts: first.counts !== null && !filtered ? Effect.succeed(first.counts) : viewCounts(connection, view),
      sample: filtered ? searchPage(connection, viewJql(view, [], RECENT_ORDER), null) : Effect.succeed(first.sample)
    },
    { concurrency: "unbounded" }
  ).pipe(projectNotFound(projectKey))
  const other = yield* otherCount(connection, counts.jqls.other, sample)
  const sharesSample = sameOrder(tableOrdering, RECENT_ORDER)
  const start = { pageToken: null, skip: 0 }
  const table = sharesSample
    ? null
    : yield* issuePage(connection, config.defaultJql, projectKey, read.filters, start, tableOrdering).pipe(
        projectNotFound(projectKey)
      )
  const issues = sample.value.issues
  const parts = {
    todo: counts.todo.value,
    inProgress: counts.inProgress.value,
    done: counts.done.value,
    other: other.value
  }
  return {
    site: config.baseUrl,
    project,
    view,
    jql: counts.jqls.total,
    split: {
      ...parts,
      open: parts.todo + parts.inProgress,
      total: parts.todo + parts.inProgress + parts.done + parts.other
    },
    splitJql: counts.jqls,
    byPriority: tallyByPriority(issues),
    byAssignee: tallyByAssignee(issues),
    ...known,
    sampleSize: issues.length,
    filters: read.filters,
    sort: read.sort,
    notices: read.notices,
    table: table === null ? tablePage(issues, sample.value.nextPageToken, start) : table.table,
    fetchedAt: minDate([
      counts.todo.fetchedAt,
      counts.inProgress.fetchedAt,
      counts.done.fetchedAt,
      other.fetchedAt,
      sample.fetchedAt,
      first.sample.fetchedAt,
      first.projects.fetchedAt,
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
