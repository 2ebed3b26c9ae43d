import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import type { JiraIssue } from "../domain/issues.ts"
import { type IssueFilters, type IssueSort, RECENT_ORDER, sortOrder, splitOrderBy, viewJql } from "../domain/jql.ts"
import { InvalidInput } from "../errors.ts"
import type { JiraConnection } from "../ports/IssueSource.ts"
import { pageSizeOf, parseProjectKey, projectNotFound, SAMPLE_SIZE, searchPage, TABLE_PAGE_SIZE } from "./jira-reads.ts"
import { resolveConnection } from "./support.ts"

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
export const tablePage = (
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
export const sameOrder = (a: string, b: string) =>
  a.replace(/\s+/g, " ").toLowerCase() === b.replace(/\s+/g, " ").toLowerCase()

export const issuePage = Effect.fnUntraced(function* (
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
