import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import { type JiraIssue, NO_PRIORITY, tallyByPriority, UNASSIGNED } from "../domain/issues.ts"
import {
  filterClauses,
  type IssueFilters,
  projectClause,
  quote,
  RECENT_ORDER,
  scope,
  splitOrderBy
} from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { parseProjectKey, projectNotFound, SAMPLE_SIZE } from "./dashboard.ts"
import { minDate, resolveConnection } from "./support.ts"

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
  /** The JQL of every issue counted; `total` is its count. */
  readonly jql: string
  readonly total: number
  readonly byPriority: ReadonlyArray<ExactCount>
  readonly byAssignee: ReadonlyArray<ExactCount>
  /** When the oldest of the counts was fetched from Jira. */
  readonly fetchedAt: Date
}

const inList = (values: ReadonlyArray<string>) => `(${values.map(quote).join(", ")})`

/** The sample's priorities in the sampled chart's order, then "No priority" when the sample had none. */
const priorityRows = (sample: ReadonlyArray<JiraIssue>) => {
  const names = tallyByPriority(sample).map((t) => t.label)
  const seen = names.filter((name) => name !== NO_PRIORITY)
  const rows = names.map((name) => ({
    label: name,
    clause: name === NO_PRIORITY ? "priority IS EMPTY" : `priority = ${quote(name)}`
  }))
  if (!names.includes(NO_PRIORITY)) rows.push({ label: NO_PRIORITY, clause: "priority IS EMPTY" })
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
    ...top.map(([accountId, p]) => ({ label: p.displayName, clause: `assignee = ${quote(accountId)}` })),
    { label: UNASSIGNED, clause: "assignee IS EMPTY" }
  ]
  const ids = top.map(([accountId]) => accountId)
  const other = ids.length === 0 ? "assignee IS NOT EMPTY" : `assignee NOT IN ${inList(ids)}`
  return { rows, other }
}

const withRemainder = (
  counted: ReadonlyArray<ExactCount>,
  total: number,
  remainder: { readonly label: string; readonly jql: string }
): ReadonlyArray<ExactCount> => {
  const rest = total - counted.reduce((sum, row) => sum + row.count, 0)
  const rows = counted.filter((row) => row.count > 0)
  return rest > 0 ? [...rows, { ...remainder, count: rest }] : rows
}

/**
 * Exact breakdowns of a project's issues under the table's filters: the total, each priority the sample
 * showed plus "No priority", each of the sample's top assignees plus "Unassigned", and the remainders.
 * One search (the sample, usually already cached by the page) and then every count concurrently.
 */
export const exactCounts = Effect.fn("exactCounts")(function* (input: {
  readonly projectKey: string
  readonly filters?: IssueFilters
}) {
  const viewer = yield* DashboardViewer
  const projectKey = yield* parseProjectKey(input.projectKey)
  const filters = input.filters ?? {}
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const source = yield* IssueSource
  const where = splitOrderBy(config.defaultJql).where
  const clauses = [projectClause(projectKey), ...filterClauses(filters)]
  const jqlOf = (extra: string | null) => scope(where, extra === null ? clauses : [...clauses, extra], "")
  const sample = yield* source
    .searchIssues(connection, { jql: scope(where, clauses, RECENT_ORDER), pageSize: SAMPLE_SIZE, pageToken: null })
    .pipe(projectNotFound(projectKey))
  const priorities = priorityRows(sample.value.issues)
  const assignees = assigneeRows(sample.value.issues)
  const wanted = [{ label: "", clause: null }, ...priorities.rows, ...assignees.rows]
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
    jql: jqlOf(null),
    total,
    byPriority: withRemainder(rows.slice(0, priorities.rows.length), total, {
      label: OTHER_PRIORITIES,
      jql: jqlOf(priorities.other)
    }),
    byAssignee: withRemainder(rows.slice(priorities.rows.length), total, {
      label: EVERYONE_ELSE,
      jql: jqlOf(assignees.other)
    }),
    fetchedAt: minDate([sample.fetchedAt, ...counted.map((c) => c.fetchedAt)])
  } satisfies ExactCounts
})
