import {
  AuditAction,
  ConnectionHealth,
  CredentialKind,
  CredentialProvider,
  FieldChange,
  JiraIssue,
  JiraProject,
  JiraRouteKind
} from "@sciple/jira-core"
import { Schema } from "effect"

/**
 * The JSON API's request and response shapes. Request bodies are decoded with these (unknown fields are
 * refused), and the OpenAPI document is generated from the same schemas. Responses are built from core's
 * schemas, with dates as ISO strings: a project, an issue, an audit action is declared once, in core.
 */

const Str = (max: number, description?: string) =>
  Schema.String.check(Schema.isMaxLength(max)).annotate(description === undefined ? {} : { description })

export const JiraConfigBody = Schema.Struct({
  name: Str(100, "A display label for the connection, for example My Jira."),
  baseUrl: Str(200, "Your Jira Cloud URL: https://<your-domain>.atlassian.net"),
  credentialId: Str(64, "The id of a Jira credential of this workspace."),
  defaultJql: Schema.optionalKey(
    Schema.NullOr(Str(2000, "Optional. Blank or absent means `updated >= -30d ORDER BY updated DESC`."))
  )
}).annotate({ identifier: "JiraConfigBody" })

export const JiraConfigUpdateBody = Schema.Struct({
  ...JiraConfigBody.fields,
  version: Schema.Int.annotate({ description: "The version the change is based on (optimistic concurrency)." })
}).annotate({ identifier: "JiraConfigUpdateBody" })

export const TestConnectionBody = Schema.Struct({
  baseUrl: Str(200),
  credentialId: Str(64),
  defaultJql: Schema.optionalKey(
    Schema.NullOr(Str(2000, "Optional. Checked as saving would check it; absent: not checked."))
  )
}).annotate({ identifier: "TestConnectionBody" })

export const CredentialBody = Schema.Struct({
  name: Str(100),
  kind: Schema.optionalKey(Schema.Literal("username_password")),
  provider: Schema.optionalKey(Schema.Literal("jira")),
  username: Str(254, "The Atlassian account email."),
  token: Str(4096, "The Atlassian API token. Stored encrypted; never returned.")
}).annotate({ identifier: "CredentialBody" })

export const RotateBody = Schema.Struct({
  token: Str(4096, "The new Atlassian API token.")
}).annotate({ identifier: "RotateBody" })

const Time = Schema.String.annotate({ format: "date-time" })

const Route = JiraRouteKind.annotate({
  description:
    "How the integration reaches Jira: `site` (the site URL) or `gateway` (Atlassian's API gateway, for a token with scopes)."
})

export const Health = Schema.Struct({
  ...ConnectionHealth.fields,
  checkedAt: Time,
  route: Schema.NullOr(Route),
  cloudId: Schema.NullOr(Schema.String).annotate({ description: "The site's cloudId from its tenant_info." })
}).annotate({ identifier: "ConnectionHealth" })

export const JiraConfigDto = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  baseUrl: Schema.String,
  credentialId: Schema.String,
  defaultJql: Schema.String,
  health: Schema.NullOr(Health),
  route: Schema.NullOr(Route).annotate({ description: "The route the last successful Test connection found." }),
  cloudId: Schema.NullOr(Schema.String),
  version: Schema.Int,
  createdAt: Time,
  updatedAt: Time
}).annotate({ identifier: "JiraConfig" })

export const JiraConfigResponse = Schema.Struct({ config: Schema.NullOr(JiraConfigDto) }).annotate({
  identifier: "JiraConfigResponse"
})

export const CredentialDto = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  kind: CredentialKind,
  provider: CredentialProvider,
  username: Schema.String,
  version: Schema.Int,
  createdAt: Time,
  updatedAt: Time
}).annotate({ identifier: "Credential" })

export const CredentialList = Schema.Struct({ credentials: Schema.Array(CredentialDto) }).annotate({
  identifier: "CredentialList"
})

const Split = Schema.Struct({ todo: Schema.Int, inProgress: Schema.Int, done: Schema.Int, open: Schema.Int })

export const HomeSummaryDto = Schema.Struct({
  connectionName: Schema.String,
  site: Schema.String,
  jql: Schema.String,
  split: Split,
  fetchedAt: Time
}).annotate({ identifier: "HomeSummary" })

const Project = JiraProject.annotate({ identifier: "Project" })

export const ProjectsPageDto = Schema.Struct({
  projects: Schema.Array(Project),
  query: Schema.String,
  page: Schema.Int,
  pageSize: Schema.Int,
  total: Schema.Int,
  fetchedAt: Time
}).annotate({ identifier: "ProjectsPage" })

const Issue = Schema.Struct({
  ...JiraIssue.fields,
  updated: Time,
  url: Schema.String.annotate({ description: "The issue in Jira." })
}).annotate({ identifier: "Issue" })

const Tally = Schema.Struct({ label: Schema.String, count: Schema.Int })

export const IssuesPageDto = Schema.Struct({
  issues: Schema.Array(Issue),
  next: Schema.NullOr(Schema.String).annotate({ description: "Pass as `cursor` for the next page; null at the end." }),
  restarted: Schema.Boolean.annotate({
    description: "True when Jira refused the cursor's page token (expired): these issues are the first page again."
  }),
  jql: Schema.String,
  fetchedAt: Time
}).annotate({ identifier: "IssuesPage" })

export const ProjectDashboardDto = Schema.Struct({
  project: Project,
  jql: Schema.String,
  split: Schema.Struct({ ...Split.fields, total: Schema.Int }),
  byPriority: Schema.Array(Tally),
  byAssignee: Schema.Array(Tally),
  sampleSize: Schema.Int.annotate({
    description: "The breakdowns are tallied from this many most recent issues (at most 100)."
  }),
  issues: IssuesPageDto,
  fetchedAt: Time
}).annotate({ identifier: "ProjectDashboard" })

export const AuditEventDto = Schema.Struct({
  id: Schema.String,
  action: AuditAction,
  actorId: Schema.String,
  at: Time,
  credentialId: Schema.NullOr(Schema.String),
  changes: Schema.Array(FieldChange)
}).annotate({ identifier: "AuditEvent" })

export const AuditPageDto = Schema.Struct({
  events: Schema.Array(AuditEventDto),
  next: Schema.NullOr(Schema.Struct({ before_at: Time, before_id: Schema.String }))
}).annotate({ identifier: "AuditPage" })

export const ProblemDto = Schema.Struct({
  type: Schema.String.annotate({ description: "`https://sciple.dev/problems/<code in kebab case>`" }),
  title: Schema.String.annotate({ description: "What went wrong, for a person." }),
  status: Schema.Int,
  detail: Schema.String,
  code: Schema.String.annotate({ description: "The problem's name, for scripts: `JiraRateLimited`, `InvalidInput`…" }),
  errors: Schema.optionalKey(Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String }))),
  retryAfterSeconds: Schema.optionalKey(Schema.Int)
}).annotate({ identifier: "Problem" })
