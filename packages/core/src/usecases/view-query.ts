import { Effect } from "effect"
import { comparePriorities, type JiraIssue, type StatusCategory } from "../domain/issues.ts"
import {
  type IssueFilters,
  type IssueSort,
  isSortColumn,
  NO_PRIORITY_FILTER,
  RECENT_ORDER,
  UNASSIGNED_FILTER,
  type View,
  viewJql
} from "../domain/jql.ts"
import type { JiraConnection } from "../ports/IssueSource.ts"
import { projectNotFound, searchPage } from "./jira-reads.ts"

/** One of the project's statuses, as seen in the sample, for the status filter. */
export interface StatusOption {
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
export interface Known {
  readonly statuses: ReadonlyArray<StatusOption>
  readonly priorities: ReadonlyArray<string>
  readonly assignees: ReadonlyArray<{ readonly accountId: string; readonly displayName: string }>
}

/**
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

/** What the project's sample offers the filters: the values a URL is checked against. */
export const knownOf = (issues: ReadonlyArray<JiraIssue>): Known => ({
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
