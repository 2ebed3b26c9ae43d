import { Schema } from "effect"

/** Jira's status category keys. Names are localised ("In Arbeit"), so the product only ever branches on these. */
export const StatusCategory = Schema.Literals(["new", "indeterminate", "done", "undefined"])
export type StatusCategory = typeof StatusCategory.Type

export const STATUS_CATEGORY_LABEL: Record<StatusCategory, string> = {
  new: "To Do",
  indeterminate: "In Progress",
  done: "Done",
  undefined: "No category"
}

export const JiraUser = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  avatarUrl: Schema.NullOr(Schema.String)
})
export type JiraUser = typeof JiraUser.Type

export const JiraIssue = Schema.Struct({
  key: Schema.String,
  summary: Schema.String,
  status: Schema.Struct({ name: Schema.String, category: StatusCategory }),
  assignee: Schema.NullOr(JiraUser),
  priority: Schema.NullOr(Schema.Struct({ name: Schema.String, iconUrl: Schema.NullOr(Schema.String) })),
  updated: Schema.Date
})
export type JiraIssue = typeof JiraIssue.Type

export const JiraProject = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  name: Schema.String,
  /** An open string: real sites send values missing from Atlassian's own enum (`product_discovery`). */
  projectTypeKey: Schema.String,
  avatarUrl: Schema.NullOr(Schema.String),
  lead: Schema.NullOr(Schema.Struct({ accountId: Schema.String, displayName: Schema.String }))
})
export type JiraProject = typeof JiraProject.Type

/** The account a credential signs in as; the email may be hidden by the user's profile visibility. */
export const JiraAccount = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  emailAddress: Schema.NullOr(Schema.String)
})
export type JiraAccount = typeof JiraAccount.Type

export interface IssuePage {
  readonly issues: ReadonlyArray<JiraIssue>
  readonly nextPageToken: string | null
  /** True when Jira refused the page token (expired or foreign) and this is the first page instead. */
  readonly restarted?: boolean
}

export interface ProjectPage {
  readonly projects: ReadonlyArray<JiraProject>
  readonly startAt: number
  readonly total: number
  readonly isLast: boolean
}

/** The split of a set of issues by status category, as the home widget and stat cards show it. */
export interface StatusSplit {
  readonly todo: number
  readonly inProgress: number
  readonly done: number
  /** To Do + In Progress. */
  readonly open: number
}

export const statusSplit = (counts: {
  readonly todo: number
  readonly inProgress: number
  readonly done: number
}): StatusSplit => ({
  ...counts,
  open: counts.todo + counts.inProgress
})

export interface Tally {
  readonly label: string
  readonly count: number
  /** The filter value behind the bar (a priority name or "none", an account id or "unassigned"). */
  readonly value?: string
}

export const NO_PRIORITY = "No priority"
export const UNASSIGNED = "Unassigned"

/**
 * Jira's default priorities, most urgent first: the order people know from Jira.
 * @internal exported for its tests
 */
export const JIRA_PRIORITY_ORDER: ReadonlyArray<string> = ["Highest", "High", "Medium", "Low", "Lowest"]

const priorityRank = (name: string | null): number => {
  if (name === null) return JIRA_PRIORITY_ORDER.length + 1
  const rank = JIRA_PRIORITY_ORDER.indexOf(name)
  return rank < 0 ? JIRA_PRIORITY_ORDER.length : rank
}

/** Jira's order: Highest to Lowest, then other priorities by name, then "no priority" (null) last. */
export const comparePriorities = (a: string | null, b: string | null): number =>
  priorityRank(a) - priorityRank(b) || (a ?? "").localeCompare(b ?? "")

const tally = (entries: ReadonlyArray<{ readonly label: string; readonly value: string }>): Array<Tally> => {
  const counts = new Map<string, { label: string; value: string; count: number }>()
  for (const { label, value } of entries) {
    const seen = counts.get(value)
    counts.set(value, { label, value, count: (seen?.count ?? 0) + 1 })
  }
  return [...counts.values()]
}

/** Issues per priority, in Jira's order (Highest to Lowest, others, then "No priority"). */
export const tallyByPriority = (issues: ReadonlyArray<JiraIssue>): Array<Tally> =>
  tally(
    issues.map((issue) =>
      issue.priority === null
        ? { label: NO_PRIORITY, value: "none" }
        : { label: issue.priority.name, value: issue.priority.name }
    )
  ).sort((a, b) => comparePriorities(a.value === "none" ? null : a.label, b.value === "none" ? null : b.label))

/** Issues per assignee, most first; a null assignee counts as "Unassigned". */
export const tallyByAssignee = (issues: ReadonlyArray<JiraIssue>): Array<Tally> =>
  tally(
    issues.map((issue) =>
      issue.assignee === null
        ? { label: UNASSIGNED, value: "unassigned" }
        : { label: issue.assignee.displayName, value: issue.assignee.accountId }
    )
  ).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
