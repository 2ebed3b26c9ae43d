import type {
  IssuePage,
  JiraAccount,
  JiraIssue,
  JiraProject,
  JiraUser,
  ProjectPage,
  StatusCategory
} from "@sciple/jira-core"
import { Schema, SchemaGetter, SchemaTransformation } from "effect"
import { parseJiraDate } from "./jira-date.ts"

/**
 * The parts of Jira Cloud REST v3 responses the product reads, as schemas, and their mapping to core's
 * domain types. Structs ignore the many other keys Jira sends.
 */

/** The issue fields every search asks for: Jira returns only `id` unless `fields` is given. */
export const ISSUE_FIELDS = ["summary", "status", "assignee", "priority", "updated"] as const

/** Jira's timestamp, offset without a colon (`+0800`), decoded to a valid Date. */
const JiraDateTime = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Date,
    new SchemaTransformation.Transformation(
      SchemaGetter.transform((value: string) => parseJiraDate(value) ?? new Date(Number.NaN)),
      SchemaGetter.transform((date: Date) => date.toISOString())
    )
  )
)

const AvatarUrls = Schema.Record(Schema.String, Schema.String)

const UserJson = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  avatarUrls: Schema.optional(AvatarUrls)
})

export const IssueJson = Schema.Struct({
  key: Schema.String,
  fields: Schema.Struct({
    summary: Schema.String,
    status: Schema.Struct({
      name: Schema.String,
      statusCategory: Schema.Struct({ key: Schema.String })
    }),
    assignee: Schema.optional(Schema.NullOr(UserJson)),
    // Missing when the project has no priority field, null when the field is empty.
    priority: Schema.optional(
      Schema.NullOr(Schema.Struct({ name: Schema.String, iconUrl: Schema.optional(Schema.String) }))
    ),
    updated: JiraDateTime
  })
})
export type IssueJson = typeof IssueJson.Type

export const SearchJqlResponse = Schema.Struct({
  issues: Schema.Array(IssueJson),
  nextPageToken: Schema.optional(Schema.NullOr(Schema.String)),
  isLast: Schema.optional(Schema.Boolean)
})

export const CountResponse = Schema.Struct({ count: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)) })

export const ProjectJson = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  name: Schema.String,
  projectTypeKey: Schema.String,
  avatarUrls: Schema.optional(AvatarUrls),
  lead: Schema.optional(Schema.NullOr(Schema.Struct({ accountId: Schema.String, displayName: Schema.String })))
})
export type ProjectJson = typeof ProjectJson.Type

export const ProjectSearchResponse = Schema.Struct({
  values: Schema.Array(ProjectJson),
  startAt: Schema.Int,
  total: Schema.Int,
  isLast: Schema.Boolean
})

export const MyselfResponse = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  // Hidden by the user's profile visibility: null or left out.
  emailAddress: Schema.optional(Schema.NullOr(Schema.String))
})

export const JqlParseResponse = Schema.Struct({
  queries: Schema.Array(
    Schema.Struct({
      query: Schema.optional(Schema.String),
      errors: Schema.optional(Schema.Array(Schema.String))
    })
  )
})

/** Jira's usual error body; anything else (plain text, HTML) decodes to no messages. */
export const ErrorCollection = Schema.Struct({
  errorMessages: Schema.optional(Schema.Array(Schema.String)),
  errors: Schema.optional(Schema.Record(Schema.String, Schema.String))
})

const CATEGORIES: ReadonlySet<string> = new Set<StatusCategory>(["new", "indeterminate", "done", "undefined"])

/**
 * By `statusCategory.key`: its name is localised ("In Arbeit"). An unknown key counts as "undefined".
 * @internal not used by production code: for tests and test support
 */
export const statusCategoryOf = (key: string): StatusCategory =>
  CATEGORIES.has(key) ? (key as StatusCategory) : "undefined"

/**
 * The 48x48 avatar, the size the product shows.
 * @internal not used by production code: for tests and test support
 */
export const pickAvatar = (avatarUrls: Readonly<Record<string, string>> | undefined): string | null =>
  avatarUrls?.["48x48"] ?? null

const toUser = (user: typeof UserJson.Type): JiraUser => ({
  accountId: user.accountId,
  displayName: user.displayName,
  avatarUrl: pickAvatar(user.avatarUrls)
})

/** @internal not used by production code: for tests and test support */
export const toIssue = ({ key, fields }: IssueJson): JiraIssue => ({
  key,
  summary: fields.summary,
  status: { name: fields.status.name, category: statusCategoryOf(fields.status.statusCategory.key) },
  assignee: fields.assignee == null ? null : toUser(fields.assignee),
  priority: fields.priority == null ? null : { name: fields.priority.name, iconUrl: fields.priority.iconUrl ?? null },
  updated: fields.updated
})

export const toIssuePage = (response: typeof SearchJqlResponse.Type): IssuePage => ({
  issues: response.issues.map(toIssue),
  // The last page may still carry a token on some sites; `isLast` wins.
  nextPageToken: response.isLast === true ? null : (response.nextPageToken ?? null)
})

const toProject = (project: ProjectJson): JiraProject => ({
  id: project.id,
  key: project.key,
  name: project.name,
  projectTypeKey: project.projectTypeKey,
  avatarUrl: pickAvatar(project.avatarUrls),
  lead: project.lead == null ? null : { accountId: project.lead.accountId, displayName: project.lead.displayName }
})

export const toProjectPage = (response: typeof ProjectSearchResponse.Type): ProjectPage => ({
  projects: response.values.map(toProject),
  startAt: response.startAt,
  total: response.total,
  isLast: response.isLast
})

export const toAccount = (response: typeof MyselfResponse.Type): JiraAccount => ({
  accountId: response.accountId,
  displayName: response.displayName,
  emailAddress: response.emailAddress ?? null
})
