import { Schema } from "effect"
import { CredentialId, JiraConfigId, WorkspaceId } from "./ids.ts"
import { SiteUrl } from "./site-url.ts"

/** Used when the admin leaves Default JQL blank, so every query stays bounded. */
export const DEFAULT_JQL = "updated >= -30d ORDER BY updated DESC"

const ConfigName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100))
const Jql = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(2000))

/** A blank default JQL becomes the bounded fallback; anything else is kept as typed, trimmed. */
export const effectiveDefaultJql = (input: string | null | undefined): string => {
  const trimmed = (input ?? "").trim()
  return trimmed.length === 0 ? DEFAULT_JQL : trimmed
}

/**
 * How the integration reaches the site's REST API (adr/0020): the site itself, or Atlassian's gateway
 * (`https://api.atlassian.com/ex/jira/{cloudId}`), the only way a scoped API token works.
 */
export const JiraRouteKind = Schema.Literals(["site", "gateway"])
export type JiraRouteKind = typeof JiraRouteKind.Type

/** What the last Test connection found; the product records it on demand, never in the background. */
export class ConnectionHealth extends Schema.Class<ConnectionHealth>("@sciple/jira-core/ConnectionHealth")({
  checkedAt: Schema.Date,
  ok: Schema.Boolean,
  accountEmail: Schema.NullOr(Schema.String),
  accountName: Schema.NullOr(Schema.String),
  error: Schema.NullOr(Schema.String),
  /** The route that worked; null when the test failed before finding one. */
  route: Schema.NullOr(JiraRouteKind),
  /** The site's cloudId from its tenant_info; null when the site did not give one. */
  cloudId: Schema.NullOr(Schema.String)
}) {}

/** The workspace's single Jira Cloud connection. */
export class JiraConfig extends Schema.Class<JiraConfig>("@sciple/jira-core/JiraConfig")({
  id: JiraConfigId,
  workspaceId: WorkspaceId,
  name: ConfigName,
  baseUrl: SiteUrl,
  credentialId: CredentialId,
  defaultJql: Jql,
  health: Schema.NullOr(ConnectionHealth),
  /** The route the last successful Test connection found; null until then (the adapter then finds it itself). */
  route: Schema.NullOr(JiraRouteKind),
  cloudId: Schema.NullOr(Schema.String),
  /** Optimistic concurrency: every update names the version it was based on. */
  version: Schema.Int,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}) {}

/** The fields an audit event compares between two versions; never anything secret. */
export const auditedFields = (config: JiraConfig) => ({
  name: config.name,
  baseUrl: config.baseUrl,
  credentialId: config.credentialId,
  defaultJql: config.defaultJql
})
