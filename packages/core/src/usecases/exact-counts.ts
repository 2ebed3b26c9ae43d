import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import { type JiraIssue, NO_PRIORITY, tallyByPriority, UNASSIGNED } from "../domain/issues.ts"
import {
  assigneeClause,
  hasFilters,
  type IssueFilters,
  NO_PRIORITY_FILTER,
  priorityClause,
  quote,
  RECENT_ORDER,
  UNASSIGNED_FILTER,
  viewJql
} from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { parseProjectKey, projectNotFound, SAMPLE_SIZE } from "./jira-reads.ts"
import { minDate, resolveConnection } from "./support.ts"
import { checkedView, type ViewQuery } from "./view-query.ts"

/**
 * "Count all": the project page's breakdowns counted over every matching issue instead of the 100-issue
 * sample. Each number is one approximate-count call (through the IssueSource port, so the cache in front of
 * it applies) with the JQL it carries; the remainders ("Other priorities", "Everyone else") are the total
 * minus the counted rows, and carry the JQL of the issues they stand for.
 */

/**
 * At most this many people get their own row; the rest are "Everyone else".
 * @internal exported for its tests
 */
export const EXACT_TOP_ASSIGNEES = 8
/** Counts in flight at once: the Jira adapter's per-site limit. */
const CONCURRENCY = 8

/** @internal not used by production code: for tests and test support */
export const OTHER_PRIORITIES = "Other priorities"
/** @internal not used by production code: for tests and test support */
export const EVERYONE_ELSE = "Everyone else"

export interface ExactCount {
  readonly label: string
  readonly count: number
  /** The JQL that finds exactly these issues in Jira's issue search. */
  readonly jql: string
}

export interface ExactCounts {
  readonly site: SiteUrl
  readonly projectKey: string
  readonly filters: IssueFilters
  /** URL values that were dropped (unknown to the project), said beside the counts. */
  readonly notices: ReadonlyArray<string>
  /** The JQL of every issue counted; `total` is its count. */
  readonly jql: string
  readonly total: number
  readonly byPriority: ReadonlyArray<ExactCount>
  readonly byAssignee: ReadonlyArray<ExactCount>
  /** When the oldest of the counts was fetched from Jira. */
  readonly fetchedAt: Date
}

const inList = (values: ReadonlyArray<string>) => `(${values.map(quote).join(", ")})`

/** The sample's priorities in the sampled chart's order (Jira's), then "No priority" when the sample had none. */
const priorityRows = (sample: ReadonlyArray<JiraIssue>) => {
  const tallies = tallyByPriority(sample)
  const rows = tallies.map((t) => ({ label: t.label, clause: priorityClause(t.value ?? t.label) }))
  if (!tallies.some((t) => t.value === NO_PRIORITY_FILTER))
    rows.push({ label: NO_PRIORITY, clause: priorityClause(NO_PRIORITY_FILTER) })
  const seen = tallies.flatMap((t) => (t.value === NO_PRIORITY_FILTER ? [] : [t.label]))
  // Jira's NOT IN never matches an empty field: these are the issues with a priority the sample did not show.
  const other = seen.length === 0 ? "priority IS NOT EMPTY" : `priority NOT IN ${inList(seen)}`
  return { rows, other }
}

/** The sample's most frequent assignees (by account), at most EXACT_TOP_ASSIGNEES, then "Unassigned". */
const assigneeRows = (sample: ReadonlyArray<JiraIssue>) => {
  const people = new Map<string, { displayName: string; n: number }>()
  for (const issue of sample) {
    if (issue.assignee === null) continue
    const entry = people.get(issue.assignee.accountId)
    if (entry === undefined) people.set(issue.assignee.accountId, { displayName: issue.assignee.displayName, n: 1 })
    else entry.n++
  }
  const top = [...people.entries()]
    .sort(([, a], [, b]) => b.n - a.n || a.displayName.localeCompare(b.displayName))
    .slice(0, EXACT_TOP_ASSIGNEES)
  const rows = [
    ...top.map(([accountId, p]) => ({ label: p.displayName, clause: assigneeClause(accountId) })),
    { label: UNASSIGNED, clause: assigneeClause(UNASSIGNED_FILTER) }
  ]
  const ids = top.map(([accountId]) => accountId)
  const other = ids.length === 0 ? "assignee IS NOT EMPTY" : `assignee NOT IN ${inList(ids)}`
  return { rows, other }
}

const withRemainder = (
  counted: ReadonlyArray<ExactCount>,
  total: number,
  remainder: { readonly label: string; readonly jql: string } | null
): ReadonlyArray<ExactCount> => {
  const rest = total - counted.reduce((sum, row) => sum + row.count, 0)
  const rows = counted.filter((row) => row.count > 0)
  return rest > 0 && remainder !== null ? [...rows, { ...remainder, count: rest }] : rows
}

/**
 * Exact breakdowns of a project's issues under the page's filters (read from the URL as the page reads
 * them: unknown values dropped): the total, each priority the sample showed plus "No priority", each of the
 * sample's top assignees plus "Unassigned", and the remainders. Every JQL is the view's (`viewJql`) with the
 * row's clause; a row of the filtered field itself is the view's JQL, as the sampled bars' links are. The
 * samples are the page's own searches (usually cached), then every count runs concurrently.
 */
export const exactCounts = Effect.fn("exactCounts")(function* (input: {
  readonly projectKey: string
  readonly query?: ViewQuery
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const source = yield* IssueSource
  const checked = yield* checkedView(connection, config.defaultJql, projectKey, input.query ?? {})
  const { view } = checked
  const filters = view.filters
  const jqlOf = (extra: string | null) => viewJql(view, extra === null ? [] : [extra])
  const sample =
    hasFilters(filters) || checked.sample === null
      ? yield* source
          .searchIssues(connection, { jql: viewJql(view, [], RECENT_ORDER), pageSize: SAMPLE_SIZE, pageToken: null })
          .pipe(projectNotFound(projectKey))
      : checked.sample
  const priorities =
    filters.priority === undefined
      ? priorityRows(sample.value.issues)
      : {
          rows: [{ label: filters.priority === NO_PRIORITY_FILTER ? NO_PRIORITY : filters.priority, clause: null }],
          other: null
        }
  const assignee = filters.assignee
  const assignees =
    assignee === undefined
      ? assigneeRows(sample.value.issues)
      : {
          rows: [
            {
              label:
                assignee === UNASSIGNED_FILTER
                  ? UNASSIGNED
                  : (checked.known.assignees.find((a) => a.accountId === assignee)?.displayName ?? assignee),
              clause: null
            }
          ],
          other: null
        }
  const wanted: ReadonlyArray<{ readonly label: string; readonly clause: string | null }> = [
    { label: "", clause: null },
    ...priorities.rows,
    ...assignees.rows
  ]
  const counted = yield* Effect.forEach(
    wanted,
    (row) =>
      Effect.map(source.countIssues(connection, jqlOf(row.clause)), (fetched) => ({
        fetchedAt: fetched.fetchedAt,
        row: { label: row.label, count: fetched.value, jql: jqlOf(row.clause) }
      })),
    { concurrency: CONCURRENCY }
  ).pipe(projectNotFound(projectKey))
  const total = counted[0]?.row.count ?? 0
  const rows = counted.slice(1).map((c) => c.row)
  return {
    site: config.baseUrl,
    projectKey,
    filters,
    notices: checked.notices,
    jql: jqlOf(null),
    total,
    byPriority: withRemainder(
      rows.slice(0, priorities.rows.length),
      total,
      priorities.other === null ? null : { label: OTHER_PRIORITIES, jql: jqlOf(priorities.other) }
    ),
    byAssignee: withRemainder(
      rows.slice(priorities.rows.length),
      total,
      assignees.other === null ? null : { label: EVERYONE_ELSE, jql: jqlOf(assignees.other) }
    ),
    fetchedAt: minDate([
      ...(checked.sample === null ? [] : [checked.sample.fetchedAt]),
      sample.fetchedAt,
      ...counted.map((c) => c.fetchedAt)
    ])
  } satisfies ExactCounts
})
