import type { DataIndex } from "../data-index.ts"

/** What a query is evaluated against: the data, the clock, and who is asking. */
export interface EvaluationContext {
  readonly index: DataIndex
  readonly now: number
  readonly timeZone: string
  /** `null` for an anonymous caller: `currentUser()` then matches nobody. */
  readonly currentAccountId: string | null
  /** Keys the caller may browse; `null` for all. Other projects and their issues do not exist for the caller. */
  readonly visibleProjects: ReadonlySet<string> | null
  /** Anonymous callers (a refused credential included) cannot see custom fields such as sprint. */
  readonly anonymous: boolean
}
