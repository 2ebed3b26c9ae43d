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

export const projectClause = (projectKey: string): string => `project = ${quote(projectKey)}`
export const statusCategoryClause = (category: StatusCategory): string => `statusCategory = ${quote(category)}`

/** Filters of the issue table; each absent field leaves the scope as it is. */
export interface IssueFilters {
  readonly statusCategory?: Exclude<StatusCategory, "undefined"> | undefined
  readonly priority?: string | undefined
  /** An account id, or "unassigned". */
  readonly assignee?: string | undefined
  readonly text?: string | undefined
}

/** @internal not used by production code: for tests and test support */
export const UNASSIGNED_FILTER = "unassigned"

export const filterClauses = (filters: IssueFilters): Array<string> => {
  const clauses: Array<string> = []
  if (filters.statusCategory !== undefined) clauses.push(statusCategoryClause(filters.statusCategory))
  if (filters.priority !== undefined && filters.priority.length > 0)
    clauses.push(`priority = ${quote(filters.priority)}`)
  if (filters.assignee !== undefined && filters.assignee.length > 0) {
    clauses.push(filters.assignee === UNASSIGNED_FILTER ? "assignee IS EMPTY" : `assignee = ${quote(filters.assignee)}`)
  }
  if (filters.text !== undefined && filters.text.trim().length > 0) clauses.push(`text ~ ${quote(filters.text.trim())}`)
  return clauses
}

export const hasFilters = (filters: IssueFilters): boolean => filterClauses(filters).length > 0

/** Most recent first: the order of the 100-issue sample behind the charts. */
export const RECENT_ORDER = "updated DESC"
