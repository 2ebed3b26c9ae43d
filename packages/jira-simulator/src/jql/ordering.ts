import type { SimIssue } from "../types.ts"
import type { EvaluationContext } from "./context.ts"
import { unknownField } from "./fields.ts"
import type { SortField } from "./parser.ts"

const MAX_ORDER_BY_FIELDS = 7

export type Comparator = (a: SimIssue, b: SimIssue) => number

const SORTABLE: Record<string, string> = {
  key: "key",
  issuekey: "key",
  issue: "key",
  id: "key",
  created: "created",
  createddate: "created",
  updated: "updated",
  updateddate: "updated",
  resolved: "resolved",
  resolutiondate: "resolved",
  priority: "priority",
  status: "status",
  statuscategory: "statusCategory",
  assignee: "assignee",
  reporter: "reporter",
  summary: "summary",
  project: "project",
  issuetype: "issuetype",
  type: "issuetype",
  rank: "rank",
  "cf[10010]": "storyPoints",
  "story points": "storyPoints"
}

const CATEGORY_ORDER: Record<string, number> = { undefined: 0, new: 1, indeterminate: 2, done: 3 }

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Empty values sort after every value ascending, and so first descending. */
const withEmpty = <T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number => {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  return compare(a, b)
}

export const issueNumber = (issue: SimIssue): number => Number(issue.key.slice(issue.key.lastIndexOf("-") + 1))

const numberOrNull = (value: number | string | null | undefined): number | null =>
  typeof value === "number" ? value : null

const sortKeyComparator = (name: string, ctx: EvaluationContext): Comparator => {
  const { index } = ctx
  const userName = (id: string | null | undefined): string | null =>
    id === null || id === undefined ? null : (index.usersById.get(id)?.displayName ?? id)
  switch (name) {
    case "key":
      return (a, b) => compareText(a.projectKey, b.projectKey) || issueNumber(a) - issueNumber(b)
    case "created":
      return (a, b) => a.created - b.created
    case "updated":
      return (a, b) => a.updated - b.updated
    case "resolved":
      return (a, b) => withEmpty(a.resolved ?? null, b.resolved ?? null, (x, y) => x - y)
    case "priority":
      return (a, b) =>
        withEmpty(
          index.priorityRank.get(a.priorityId ?? "") ?? null,
          index.priorityRank.get(b.priorityId ?? "") ?? null,
          (x, y) => x - y
        )
    case "status":
      return (a, b) => {
        const sa = index.statusesById.get(a.statusId)
        const sb = index.statusesById.get(b.statusId)
        return (
          (CATEGORY_ORDER[sa?.category ?? "undefined"] ?? 0) - (CATEGORY_ORDER[sb?.category ?? "undefined"] ?? 0) ||
          compareText(sa?.name ?? "", sb?.name ?? "")
        )
      }
    case "statusCategory":
      return (a, b) =>
        (CATEGORY_ORDER[index.statusesById.get(a.statusId)?.category ?? "undefined"] ?? 0) -
        (CATEGORY_ORDER[index.statusesById.get(b.statusId)?.category ?? "undefined"] ?? 0)
    case "assignee":
      return (a, b) =>
        withEmpty(userName(a.assigneeAccountId), userName(b.assigneeAccountId), (x, y) => x.localeCompare(y))
    case "reporter":
      return (a, b) =>
        withEmpty(userName(a.reporterAccountId), userName(b.reporterAccountId), (x, y) => x.localeCompare(y))
    case "summary":
      return (a, b) => a.summary.localeCompare(b.summary)
    case "project":
      return (a, b) => compareText(a.projectKey, b.projectKey)
    case "rank":
      // LexoRank strings sort as plain strings; issues without a rank go last.
      return (a, b) => withEmpty(a.rank ?? null, b.rank ?? null, compareText)
    case "storyPoints":
      return (a, b) =>
        withEmpty(numberOrNull(a.customFields?.["10010"]), numberOrNull(b.customFields?.["10010"]), (x, y) => x - y)
    default:
      return (a, b) =>
        compareText(
          index.issueTypesById.get(a.issueTypeId)?.name ?? "",
          index.issueTypesById.get(b.issueTypeId)?.name ?? ""
        )
  }
}

/** Newest first, by id: the tie-breaker after the ORDER BY fields. */
const byIdDesc: Comparator = (a, b) => Number(b.id) - Number(a.id)

export const compileOrderBy = (
  fields: ReadonlyArray<SortField>,
  ctx: EvaluationContext,
  errors: string[]
): Comparator => {
  if (fields.length > MAX_ORDER_BY_FIELDS) {
    errors.push(`The ORDER BY clause may contain at most ${MAX_ORDER_BY_FIELDS} fields.`)
    return byIdDesc
  }
  // Without ORDER BY the simulator returns newest first (`created DESC`), which is what Jira's issue navigator shows.
  if (fields.length === 0) return (a, b) => b.created - a.created || byIdDesc(a, b)
  const parts: Comparator[] = []
  for (const sort of fields) {
    const lower = sort.field.name.toLowerCase()
    const name = SORTABLE[lower]
    if (name === undefined) {
      errors.push(
        lower === "text" ? `Field '${sort.field.name}' does not support sorting.` : unknownField(sort.field.name)
      )
      continue
    }
    const compare = sortKeyComparator(name, ctx)
    parts.push(sort.direction === "desc" ? (a, b) => compare(b, a) : compare)
  }
  return (a, b) => {
    for (const part of parts) {
      const result = part(a, b)
      if (result !== 0) return result
    }
    return byIdDesc(a, b)
  }
}
