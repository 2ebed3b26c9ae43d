import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import { type IssuePage, type JiraProject, type Tally, tallyByAssignee, tallyByPriority } from "../domain/issues.ts"
import {
  categoryClause,
  hasFilters,
  type IssueFilters,
  type IssueSort,
  RECENT_ORDER,
  sortOrder,
  type View,
  viewJql
} from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { NotFound } from "../errors.ts"
import { type Fetched, IssueSource, type JiraConnection } from "../ports/IssueSource.ts"
import { type IssueTablePage, issuePage, sameOrder, tableOrder, tablePage } from "./issue-table.ts"
import { countOf, parseProjectKey, projectNotFound, searchPage } from "./jira-reads.ts"
import { minDate, resolveConnection } from "./support.ts"
import { knownOf, readViewQuery, type StatusOption, type ViewQuery } from "./view-query.ts"

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
