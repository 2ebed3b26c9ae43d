import { Effect, Option, Stream } from "effect"
import { DashboardViewer } from "../authorization.ts"
import type { IssuePage, JiraIssue } from "../domain/issues.ts"
import { sortOrder, viewJql } from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import type { JiraError } from "../errors.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { tableOrder } from "./issue-table.ts"
import { parseProjectKey, projectNotFound, SAMPLE_SIZE } from "./jira-reads.ts"
import { resolveConnection } from "./support.ts"
import { checkedView, type ViewQuery } from "./view-query.ts"

/** The most rows one export holds; past it the export ends saying so. */
const EXPORT_MAX_ROWS = 10_000

/** What an export's stream carries: rows, page by page, and at most one last word on why it stopped early. */
export type ExportPart =
  | { readonly _tag: "Rows"; readonly issues: ReadonlyArray<JiraIssue> }
  /** `limit`: more issues matched than the export holds; `restarted`: Jira refused the next page's token. */
  | { readonly _tag: "Incomplete"; readonly reason: "limit" | "restarted"; readonly rows: number }

interface IssueExport {
  readonly site: SiteUrl
  readonly projectKey: string
  /** The JQL the rows were searched with, filters and order included. */
  readonly jql: string
  /** URL values that were dropped (unknown to the project). */
  readonly notices: ReadonlyArray<string>
  /** Jira's pages of 100 in order, fetched as they are read; a failure past the first page ends it with the error. */
  readonly parts: Stream.Stream<ExportPart, JiraError>
}

interface WalkState {
  /** The page already fetched (the first one, before any byte was sent), or null to fetch `token`'s. */
  readonly pending: IssuePage | null
  readonly token: string | null
  readonly sent: number
}

/**
 * The issue table's rows under its filters and sort (read from the URL as the page reads them: unknown
 * values dropped), for a download, in the table's JQL (`viewJql`). The first page is fetched here, so a
 * missing project or refused query fails before anything is sent; the rest are walked lazily through
 * Jira's token paging, through the IssueSource port (the cache in front applies), up to `maxRows`.
 */
export const exportIssues = Effect.fn("exportIssues")(function* (input: {
  readonly projectKey: string
  readonly query: ViewQuery
  readonly maxRows?: number
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const maxRows = Math.max(1, Math.floor(input.maxRows ?? EXPORT_MAX_ROWS))
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const source = yield* IssueSource
  const checked = yield* checkedView(connection, config.defaultJql, projectKey, input.query)
  const jql = viewJql(checked.view, [], checked.sort === null ? tableOrder(config.defaultJql) : sortOrder(checked.sort))
  const fetchPage = (pageToken: string | null) =>
    Effect.map(source.searchIssues(connection, { jql, pageSize: SAMPLE_SIZE, pageToken }), (page) => page.value)
  const first = yield* fetchPage(null).pipe(projectNotFound(projectKey))
  const step = (state: WalkState) =>
    Effect.map(
      state.pending === null ? fetchPage(state.token) : Effect.succeed(state.pending),
      (page): readonly [ReadonlyArray<ExportPart>, Option.Option<WalkState>] => {
        // A refused token mid-walk restarts at the first page: its rows would repeat, so the export stops.
        if (page.restarted === true && state.sent > 0)
          return [[{ _tag: "Incomplete", reason: "restarted", rows: state.sent }], Option.none()]
        const room = maxRows - state.sent
        const issues = page.issues.slice(0, room)
        const sent = state.sent + issues.length
        const rows: ExportPart = { _tag: "Rows", issues }
        if (page.issues.length > room || (sent >= maxRows && page.nextPageToken !== null))
          return [[rows, { _tag: "Incomplete", reason: "limit", rows: sent }], Option.none()]
        if (page.nextPageToken === null || page.issues.length === 0) return [[rows], Option.none()]
        return [[rows], Option.some({ pending: null, token: page.nextPageToken, sent })]
      }
    )
  return {
    site: config.baseUrl,
    projectKey,
    jql,
    notices: checked.notices,
    parts: Stream.paginate<WalkState, ExportPart, JiraError>({ pending: first, token: null, sent: 0 }, step)
  } satisfies IssueExport
})
