import type { DataIndex } from "../data-index.ts"
import type { SimIssue } from "../types.ts"
import type { ClauseOperator } from "./parser.ts"

/** The fields the evaluator knows, by lower-case name (aliases included), and what each allows. */

export type FieldKind =
  | "project"
  | "status"
  | "statusCategory"
  | "assignee"
  | "reporter"
  | "priority"
  | "issuetype"
  | "key"
  | "parent"
  | "resolution"
  | "labels"
  | "component"
  | "fixVersion"
  | "sprint"
  | "number"
  | "date"
  | "text"

export type DateField = "created" | "updated" | "resolved"
export type TextField = "summary" | "description" | "comment" | "text"

export interface FieldSpec {
  readonly kind: FieldKind
  readonly operators: ReadonlySet<ClauseOperator>
  readonly date?: DateField
  readonly text?: TextField
  /** Custom field id for `number` fields. */
  readonly customId?: string
  /** Custom fields are invisible to anonymous callers: Jira names them in its error. */
  readonly customField?: boolean
}

const EQUALITY: ClauseOperator[] = ["=", "!=", "in", "not in", "is", "is not"]
const ORDERED: ClauseOperator[] = [...EQUALITY, "<", "<=", ">", ">="]
const TEXT: ClauseOperator[] = ["~", "!~", "is", "is not"]

const spec = (kind: FieldKind, operators: ClauseOperator[], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  kind,
  operators: new Set(operators),
  ...extra
})

const sprint = spec("sprint", EQUALITY, { customField: true })
const storyPoints = spec("number", ORDERED, { customId: "10010", customField: true })

export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  project: spec("project", EQUALITY),
  status: spec("status", EQUALITY),
  statuscategory: spec("statusCategory", EQUALITY),
  assignee: spec("assignee", EQUALITY),
  reporter: spec("reporter", EQUALITY),
  priority: spec("priority", ORDERED),
  issuetype: spec("issuetype", EQUALITY),
  type: spec("issuetype", EQUALITY),
  key: spec("key", ORDERED),
  issuekey: spec("key", ORDERED),
  issue: spec("key", ORDERED),
  id: spec("key", ORDERED),
  parent: spec("parent", EQUALITY),
  resolution: spec("resolution", EQUALITY),
  labels: spec("labels", EQUALITY),
  component: spec("component", EQUALITY),
  fixversion: spec("fixVersion", EQUALITY),
  sprint,
  "cf[10020]": sprint,
  "cf[10010]": storyPoints,
  "story points": storyPoints,
  created: spec("date", ORDERED, { date: "created" }),
  createddate: spec("date", ORDERED, { date: "created" }),
  updated: spec("date", ORDERED, { date: "updated" }),
  updateddate: spec("date", ORDERED, { date: "updated" }),
  resolved: spec("date", ORDERED, { date: "resolved" }),
  resolutiondate: spec("date", ORDERED, { date: "resolved" }),
  text: spec("text", ["~", "!~"], { text: "text" }),
  summary: spec("text", TEXT, { text: "summary" }),
  description: spec("text", TEXT, { text: "description" }),
  comment: spec("text", ["~", "!~"], { text: "comment" })
}

export const unknownField = (name: string): string =>
  `Field '${name}' does not exist or you do not have permission to view it.`

export const anonymousField = (name: string): string =>
  `Field '${name}' does not exist or this field cannot be viewed by anonymous users.`

const one = (value: string | null | undefined): ReadonlyArray<string> =>
  value === null || value === undefined ? [] : [value]

/** The values a field has on an issue (empty: the field is EMPTY), as the strings a JQL value resolves to. */
export const valuesGetter = (
  kind: FieldKind,
  index: DataIndex,
  customId = ""
): ((issue: SimIssue) => ReadonlyArray<string>) => {
  switch (kind) {
    case "project":
      return (issue) => [issue.projectKey]
    case "status":
      return (issue) => [issue.statusId]
    case "statusCategory":
      return (issue) => [index.statusesById.get(issue.statusId)?.category ?? "undefined"]
    case "assignee":
      return (issue) => one(issue.assigneeAccountId)
    case "reporter":
      return (issue) => one(issue.reporterAccountId)
    case "priority":
      return (issue) => one(issue.priorityId)
    case "issuetype":
      return (issue) => [issue.issueTypeId]
    case "parent":
      return (issue) => one(issue.parentKey)
    case "resolution":
      return (issue) => one(issue.resolutionId)
    case "labels":
      return (issue) => (issue.labels ?? []).map((l) => l.toLowerCase())
    case "component":
      return (issue) => issue.componentIds ?? []
    case "fixVersion":
      return (issue) => issue.fixVersionIds ?? []
    case "sprint":
      return (issue) => (issue.sprintIds ?? []).map(String)
    case "number":
      return (issue) => {
        const value = issue.customFields?.[customId]
        return value === null || value === undefined ? [] : [String(value)]
      }
    default:
      return (issue) => [issue.id]
  }
}

/** The text a `~` clause searches: `text` covers summary, description and comments. */
export const textOf = (issue: SimIssue, field: TextField): string | null => {
  switch (field) {
    case "summary":
      return issue.summary
    case "description":
      return issue.description ?? null
    case "comment":
      return (issue.comments ?? []).length === 0 ? null : (issue.comments ?? []).join("\n")
    case "text":
      return [issue.summary, issue.description ?? "", ...(issue.comments ?? [])].join("\n")
  }
}
