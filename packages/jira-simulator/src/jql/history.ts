import type { SimIssue } from "../types.ts"
import type { HistoryOperator, HistoryPredicate, Operand } from "./parser.ts"

/** `WAS`, `WAS IN`, `WAS NOT (IN)` and `CHANGED` over an issue's status history, with their predicates. */

const DAY = 86_400_000

export interface HistoryResolvers {
  /** Status ids an operand stands for; undefined after reporting an error. */
  statuses(operand: Operand): ReadonlySet<string> | undefined
  /** Account ids an operand stands for (`BY`). */
  users(operand: Operand): ReadonlySet<string> | undefined
  /** Instants an operand stands for (one for AFTER/BEFORE/ON, two for DURING). */
  dates(operand: Operand): ReadonlyArray<number> | undefined
  error(message: string): void
}

interface Segment {
  readonly statusId: string
  readonly from: number
  readonly to: number
  readonly by: string | null
}

/** The statuses an issue has had, each with the interval it held and who moved it there. */
const segments = (issue: SimIssue): Segment[] => {
  const changes = issue.statusHistory ?? []
  const out: Segment[] = []
  let statusId = changes[0]?.fromStatusId ?? issue.statusId
  let from = issue.created
  let by: string | null = issue.reporterAccountId ?? null
  for (const change of changes) {
    out.push({ statusId, from, to: change.at, by })
    statusId = change.toStatusId
    from = change.at
    by = change.byAccountId
  }
  out.push({ statusId, from, to: Number.POSITIVE_INFINITY, by })
  return out
}

type Test = (from: number, to: number, by: string | null) => boolean

/** One predicate as a test on an interval (`WAS`) or an instant (`CHANGED`, where from = to). */
const predicateTest = (predicate: HistoryPredicate, r: HistoryResolvers): Test | "transition" | undefined => {
  switch (predicate.kind) {
    case "after":
    case "before":
    case "on": {
      const dates = r.dates(predicate.operand)
      const at = dates?.[0]
      if (at === undefined || dates?.length !== 1) {
        if (dates !== undefined) r.error(`The '${predicate.kind.toUpperCase()}' predicate takes one date.`)
        return undefined
      }
      if (predicate.kind === "after") return (_from, to) => to > at
      if (predicate.kind === "before") return (from) => from < at
      return (from, to) => from < at + DAY && to >= at
    }
    case "during": {
      const dates = r.dates(predicate.operand)
      const start = dates?.[0]
      const end = dates?.[1]
      if (start === undefined || end === undefined || dates?.length !== 2) {
        if (dates !== undefined) r.error("The 'DURING' predicate takes two dates: DURING (start, end).")
        return undefined
      }
      return (from, to) => from <= end && to >= start
    }
    case "by": {
      const users = r.users(predicate.operand)
      return users === undefined ? undefined : (_from, _to, by) => by !== null && users.has(by)
    }
    case "from":
    case "to":
      return "transition"
  }
}

export const compileHistory = (
  field: string,
  operator: HistoryOperator,
  operand: Operand | null,
  predicates: ReadonlyArray<HistoryPredicate>,
  r: HistoryResolvers
): ((issue: SimIssue) => boolean) | undefined => {
  if (field.toLowerCase() !== "status") {
    r.error(`History searches (WAS, CHANGED) are simulated for the 'status' field only, not '${field}'.`)
    return undefined
  }
  const tests: Test[] = []
  let fromSet: ReadonlySet<string> | undefined
  let toSet: ReadonlySet<string> | undefined
  let failed = false
  for (const predicate of predicates) {
    const test = predicateTest(predicate, r)
    if (test === undefined) failed = true
    else if (test !== "transition") tests.push(test)
    else if (operator !== "changed") {
      r.error(`The '${predicate.kind.toUpperCase()}' predicate is only supported by the 'CHANGED' operator.`)
      failed = true
    } else {
      const set = r.statuses(predicate.operand)
      if (set === undefined) failed = true
      else if (predicate.kind === "from") fromSet = set
      else toSet = set
    }
  }
  if (operator === "changed") {
    if (failed) return undefined
    return (issue) =>
      (issue.statusHistory ?? []).some(
        (c) =>
          (fromSet === undefined || fromSet.has(c.fromStatusId)) &&
          (toSet === undefined || toSet.has(c.toStatusId)) &&
          tests.every((t) => t(c.at, c.at, c.byAccountId))
      )
  }
  const wanted = operand === null ? undefined : r.statuses(operand)
  if (failed || wanted === undefined) return undefined
  const was = (issue: SimIssue): boolean =>
    segments(issue).some((s) => wanted.has(s.statusId) && tests.every((t) => t(s.from, s.to, s.by)))
  return operator === "was" || operator === "was in" ? was : (issue) => !was(issue)
}
