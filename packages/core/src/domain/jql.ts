import type { StatusCategory } from "./issues.ts"

/**
 * JQL composition. Every user-supplied value goes through `quote`; every scope is combined with `scope`.
 * Rules from Jira's JQL grammar: inside double quotes the only escapes are \" \' \\ \n \r \t "\ " and \uXXXX.
 */
export const quote = (value: string): string => {
  let out = '"'
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === "\\") out += "\\\\"
    else if (ch === '"') out += '\\"'
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`
    } else out += ch
  }
  return `${out}"`
}

export interface SplitJql {
  /** The query without its ORDER BY, trimmed; may be empty. */
  readonly where: string
  /** The ORDER BY fields (without the keywords), trimmed; empty when there is none. */
  readonly orderBy: string
}

/** Splits at the top-level ORDER BY: outside quotes and parentheses, case-insensitive. */
export const splitOrderBy = (jql: string): SplitJql => {
  let depth = 0
  let inQuote: '"' | "'" | null = null
  for (let i = 0; i < jql.length; i++) {
    const ch = jql[i]
    if (inQuote !== null) {
      if (ch === "\\") i++
      else if (ch === inQuote) inQuote = null
      continue
    }
    if (ch === '"' || ch === "'") inQuote = ch
    else if (ch === "(") depth++
    else if (ch === ")") depth = Math.max(0, depth - 1)
    else if (depth === 0 && (i === 0 || /\s|\)/.test(jql[i - 1] ?? ""))) {
      const m = /^order\s+by\b/i.exec(jql.slice(i))
      if (m !== null) return { where: jql.slice(0, i).trim(), orderBy: jql.slice(i + m[0].length).trim() }
    }
  }
  return { where: jql.trim(), orderBy: "" }
}

/**
 * Combines a base query with scope clauses as `(<base>) AND (<clause>)... ORDER BY <order>`. The base's
 * own ORDER BY is moved out first; each part is parenthesised so an `OR` in one cannot escape into another.
 */
export const scope = (base: string, clauses: ReadonlyArray<string>, orderBy?: string): string => {
  const split = splitOrderBy(base)
  const parts = [split.where, ...clauses].filter((part) => part.trim().length > 0).map((part) => `(${part})`)
  const order = orderBy ?? split.orderBy
  const where = parts.join(" AND ")
  return order.length > 0 ? (where.length > 0 ? `${where} ORDER BY ${order}` : `ORDER BY ${order}`) : where
}

const projectClause = (projectKey: string): string => `project = ${quote(projectKey)}`
export const statusCategoryClause = (category: StatusCategory): string => `statusCategory = ${quote(category)}`

/** The status filter: a category of the project's statuses, or one of its statuses by name. */
type StatusFilter =
  | { readonly kind: "category"; readonly category: StatusCategory }
  | { readonly kind: "status"; readonly name: string }

/** Filters of the issue table; each absent field leaves the scope as it is. */
export interface IssueFilters {
  readonly statusCategory?: Exclude<StatusCategory, "undefined"> | undefined
  /** A status by name, or the "Other" category (statuses without one); takes the place of `statusCategory`. */
  readonly status?: StatusFilter | undefined
  /** A priority name, or NO_PRIORITY_FILTER. */
  readonly priority?: string | undefined
  /** An account id, or "unassigned". */
  readonly assignee?: string | undefined
  readonly text?: string | undefined
}

/** The assignee filter's value for issues without an assignee. */
export const UNASSIGNED_FILTER = "unassigned"
/** The priority filter's value for issues without a priority. */
export const NO_PRIORITY_FILTER = "none"

/** The three categories Jira names; a status outside them ("No category") counts as "Other". */
const NAMED_CATEGORIES = ["new", "indeterminate", "done"] as const

/** Issues in one status category; `undefined` (no category) is every status outside the three named ones. */
export const categoryClause = (category: StatusCategory): string =>
  category === "undefined"
    ? `statusCategory NOT IN (${NAMED_CATEGORIES.map(quote).join(", ")})`
    : statusCategoryClause(category)

export const priorityClause = (priority: string): string =>
  priority === NO_PRIORITY_FILTER ? "priority IS EMPTY" : `priority = ${quote(priority)}`

export const assigneeClause = (assignee: string): string =>
  assignee === UNASSIGNED_FILTER ? "assignee IS EMPTY" : `assignee = ${quote(assignee)}`

const statusFilterClause = (status: StatusFilter): string =>
  status.kind === "category" ? categoryClause(status.category) : `status = ${quote(status.name)}`

/** @internal exported for its tests: production code composes through `viewJql` */
export const filterClauses = (filters: IssueFilters): Array<string> => {
  const clauses: Array<string> = []
  if (filters.status !== undefined) clauses.push(statusFilterClause(filters.status))
  else if (filters.statusCategory !== undefined) clauses.push(statusCategoryClause(filters.statusCategory))
  if (filters.priority !== undefined && filters.priority.length > 0) clauses.push(priorityClause(filters.priority))
  if (filters.assignee !== undefined && filters.assignee.length > 0) clauses.push(assigneeClause(filters.assignee))
  if (filters.text !== undefined && filters.text.trim().length > 0) clauses.push(`text ~ ${quote(filters.text.trim())}`)
  return clauses
}

export const hasFilters = (filters: IssueFilters): boolean => filterClauses(filters).length > 0

/** Most recent first: the order of the 100-issue sample behind the charts. */
export const RECENT_ORDER = "updated DESC"

/** The issue table's sortable columns, as the URL names them, and the JQL field each sorts by. */
const SORT_FIELDS = {
  key: "key",
  summary: "summary",
  status: "status",
  assignee: "assignee",
  priority: "priority",
  updated: "updated"
} as const
export type SortColumn = keyof typeof SORT_FIELDS

export interface IssueSort {
  readonly column: SortColumn
  readonly direction: "asc" | "desc"
}

export const isSortColumn = (value: string): value is SortColumn => Object.hasOwn(SORT_FIELDS, value)

/** The ORDER BY of a sort: its field, then the most recently updated first among equals. */
export const sortOrder = (sort: IssueSort): string => {
  const first = `${SORT_FIELDS[sort.column]} ${sort.direction.toUpperCase()}`
  return sort.column === "updated" ? first : `${first}, ${RECENT_ORDER}`
}

/** What a project page shows: the workspace's default JQL, one project, the filters and the table's sort. */
export interface View {
  /** The workspace's default JQL (its ORDER BY is ignored: the view's sort, or the table's, replaces it). */
  readonly base: string
  readonly projectKey: string
  readonly filters: IssueFilters
}

/**
 * The JQL of one number of a view, the one it is counted with and the one its drill-down link opens: the
 * default JQL, the project, the filters, then the number's own clauses (a category, a priority, an
 * assignee). With `order`, the query lists issues in that order (the table, the sample).
 */
export const viewJql = (view: View, extra: ReadonlyArray<string> = [], order = ""): string =>
  scope(
    splitOrderBy(view.base).where,
    [projectClause(view.projectKey), ...filterClauses(view.filters), ...extra],
    order
  )
