import type { FieldChange } from "@sciple/jira-core"
import { sql } from "drizzle-orm"
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  type PgColumn,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex
} from "drizzle-orm/pg-core"

/**
 * Everything the product stores. Lengths and enumerations are also checked by the database, so a bug
 * (or a caller that skipped the domain's validation) cannot store what the domain would refuse.
 * Constraint names are read by `store-errors.ts` (`<table>_<column>_<rule>`) to name the refused field.
 * Records that belong to a workspace are keyed by (workspace_id, id): ids only need to be unique within
 * their workspace, and no key of one workspace can collide with, or point into, another.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" })

/** Core's ids: 1 to 64 characters of `[A-Za-z0-9_-]`. */
const validId = (column: PgColumn) => sql`${column} ~ '^[A-Za-z0-9_-]{1,64}$'`
const lengthBetween = (column: PgColumn, min: number, max: number) =>
  sql`char_length(${column}) between ${sql.raw(String(min))} and ${sql.raw(String(max))}`

export const workspaces = pgTable(
  "workspaces",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: at("created_at").notNull()
  },
  (t) => [check("workspaces_id_valid", validId(t.id)), check("workspaces_name_length", lengthBetween(t.name, 1, 100))]
)

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: at("created_at").notNull()
  },
  (t) => [
    // Emails compare case-insensitively: one account per address, however it is typed.
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    check("users_id_valid", validId(t.id)),
    check("users_email_length", lengthBetween(t.email, 3, 254)),
    check("users_display_name_length", lengthBetween(t.displayName, 0, 100)),
    check("users_password_hash_length", lengthBetween(t.passwordHash, 0, 1024))
  ]
)

export const memberships = pgTable(
  "memberships",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    role: text("role").notNull()
  },
  (t) => [
    primaryKey({ name: "memberships_pkey", columns: [t.userId, t.workspaceId] }),
    check("memberships_role_valid", sql`${t.role} in ('admin', 'viewer')`)
  ]
)

export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdAt: at("created_at").notNull(),
    expiresAt: at("expires_at").notNull()
  },
  (t) => [
    index("sessions_expires_at").on(t.expiresAt),
    check("sessions_id_hash_length", lengthBetween(t.idHash, 1, 256))
  ]
)

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: at("created_at").notNull(),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
    expiresAt: at("expires_at")
  },
  (t) => [
    primaryKey({ name: "api_tokens_pkey", columns: [t.workspaceId, t.id] }),
    uniqueIndex("api_tokens_token_hash_unique").on(t.tokenHash),
    index("api_tokens_owner").on(t.userId, t.workspaceId),
    check("api_tokens_id_valid", validId(t.id)),
    check("api_tokens_name_length", lengthBetween(t.name, 1, 100)),
    check("api_tokens_token_hash_length", lengthBetween(t.tokenHash, 1, 256))
  ]
)

/** Credential metadata only: the API token lives in the secret store, under `secret_ref`. */
export const credentials = pgTable(
  "credentials",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    provider: text("provider").notNull(),
    username: text("username").notNull(),
    secretRef: text("secret_ref").notNull(),
    version: integer("version").notNull(),
    // No foreign key to users: the record of who created a credential outlives that user.
    createdBy: text("created_by").notNull(),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at").notNull()
  },
  (t) => [
    // Keyed by workspace first, so the configuration's foreign key can only name a credential of its own workspace.
    primaryKey({ name: "credentials_pkey", columns: [t.workspaceId, t.id] }),
    uniqueIndex("credentials_name_unique").on(t.workspaceId, sql`lower(${t.name})`),
    check("credentials_id_valid", validId(t.id)),
    check("credentials_name_length", lengthBetween(t.name, 1, 100)),
    check("credentials_kind_valid", sql`${t.kind} = 'username_password'`),
    check("credentials_provider_valid", sql`${t.provider} = 'jira'`),
    check("credentials_username_length", lengthBetween(t.username, 1, 254)),
    check("credentials_secret_ref_length", lengthBetween(t.secretRef, 1, 512)),
    check("credentials_version_positive", sql`${t.version} >= 1`),
    check("credentials_created_by_valid", validId(t.createdBy))
  ]
)

/**
 * Credential creates in flight (adr/0028): recorded before the secret is written, removed with the credential
 * row's commit, settled by the reconciliation when older than a bound. The secret's ref, never the secret.
 */
export const pendingCredentials = pgTable(
  "pending_credentials",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    credentialId: text("credential_id").notNull(),
    secretRef: text("secret_ref").notNull(),
    createdAt: at("created_at").notNull()
  },
  (t) => [
    primaryKey({ name: "pending_credentials_pkey", columns: [t.workspaceId, t.credentialId] }),
    // The reconciliation reads the oldest first, across workspaces.
    index("pending_credentials_created_at").on(t.createdAt),
    check("pending_credentials_credential_id_valid", validId(t.credentialId)),
    check("pending_credentials_secret_ref_length", lengthBetween(t.secretRef, 1, 512))
  ]
)

/** The workspace's single Jira connection, with the outcome of its last connection test. */
export const jiraConfigs = pgTable(
  "jira_configs",
  {
    id: text("id").notNull(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    credentialId: text("credential_id").notNull(),
    defaultJql: text("default_jql").notNull(),
    version: integer("version").notNull(),
    createdAt: at("created_at").notNull(),
    updatedAt: at("updated_at").notNull(),
    healthCheckedAt: at("health_checked_at"),
    healthOk: boolean("health_ok"),
    healthAccountEmail: text("health_account_email"),
    healthAccountName: text("health_account_name"),
    healthError: text("health_error"),
    // adr/0020: the route the last successful test found, and the site's cloudId.
    route: text("route"),
    cloudId: text("cloud_id"),
    healthRoute: text("health_route"),
    healthCloudId: text("health_cloud_id")
  },
  (t) => [
    primaryKey({ name: "jira_configs_pkey", columns: [t.workspaceId, t.id] }),
    // At most one connection per workspace, whatever races the application loses.
    uniqueIndex("jira_configs_workspace_unique").on(t.workspaceId),
    // RESTRICT: a credential the connection uses cannot be deleted (mapped to CredentialInUse).
    foreignKey({
      name: "jira_configs_credential_fk",
      columns: [t.workspaceId, t.credentialId],
      foreignColumns: [credentials.workspaceId, credentials.id]
    }).onDelete("restrict"),
    check("jira_configs_id_valid", validId(t.id)),
    check("jira_configs_name_length", lengthBetween(t.name, 1, 100)),
    check("jira_configs_base_url_valid", sql`${t.baseUrl} ~ '^https://[a-z0-9-]{1,63}\\.atlassian\\.net$'`),
    check("jira_configs_default_jql_length", lengthBetween(t.defaultJql, 1, 2000)),
    check("jira_configs_version_positive", sql`${t.version} >= 1`),
    // A health record is all there or not there at all.
    check(
      "jira_configs_health_complete",
      sql`(${t.healthCheckedAt} is null) = (${t.healthOk} is null) and (${t.healthCheckedAt} is not null or (${t.healthAccountEmail} is null and ${t.healthAccountName} is null and ${t.healthError} is null))`
    ),
    check("jira_configs_health_account_email_length", lengthBetween(t.healthAccountEmail, 0, 1000)),
    check("jira_configs_health_account_name_length", lengthBetween(t.healthAccountName, 0, 1000)),
    check("jira_configs_health_error_length", lengthBetween(t.healthError, 0, 4000)),
    check(
      "jira_configs_route_valid",
      sql`${t.route} in ('site', 'gateway') and ${t.healthRoute} in ('site', 'gateway')`
    ),
    // The gateway is addressed by cloudId: a gateway route without one could not be used.
    check("jira_configs_gateway_has_cloud_id", sql`${t.route} is distinct from 'gateway' or ${t.cloudId} is not null`),
    check("jira_configs_cloud_id_length", lengthBetween(t.cloudId, 1, 100)),
    check("jira_configs_health_cloud_id_length", lengthBetween(t.healthCloudId, 1, 100))
  ]
)

/**
 * The append-only audit log (a trigger refuses UPDATE, DELETE and TRUNCATE, see the custom migration).
 * Actor and credential are plain ids, not foreign keys: the log must keep naming a user or a credential
 * after it is gone.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    id: text("id").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    at: at("at").notNull(),
    credentialId: text("credential_id"),
    changes: jsonb("changes").$type<ReadonlyArray<FieldChange>>().notNull()
  },
  (t) => [
    primaryKey({ name: "audit_events_pkey", columns: [t.workspaceId, t.id] }),
    // Serves the newest-first pages of one workspace: `(at, id) < cursor order by at desc, id desc`.
    index("audit_events_page").on(t.workspaceId, t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("audit_events_id_valid", validId(t.id)),
    check("audit_events_actor_id_valid", validId(t.actorId)),
    check(
      "audit_events_action_valid",
      sql`${t.action} in ('JIRA_CONFIG_CREATED', 'JIRA_CONFIG_UPDATED', 'JIRA_CONFIG_DELETED', 'CREDENTIAL_CREATED', 'CREDENTIAL_ROTATED', 'CREDENTIAL_DELETED', 'API_TOKEN_CREATED', 'API_TOKEN_REVOKED')`
    ),
    check("audit_events_credential_id_valid", sql`${t.credentialId} is null or ${validId(t.credentialId)}`),
    check("audit_events_changes_array", sql`jsonb_typeof(${t.changes}) = 'array'`)
  ]
)

/**
 * The shared tier of Jira answers (adr/0024): one row per cache key, read by every instance. UNLOGGED (see the
 * migration): a cache is not worth the WAL, and after a crash PostgreSQL empties it, which is a cold cache.
 * Keyed by a SHA-256 of the full key (a JQL can outgrow a btree entry); the full key is kept to rule out a collision.
 */
export const jiraAnswers = pgTable(
  "jira_answers",
  {
    keyHash: text("key_hash").primaryKey(),
    key: text("key").notNull(),
    value: jsonb("value").notNull(),
    fetchedAt: at("fetched_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    staleUntil: at("stale_until").notNull()
  },
  // Eviction drops the rows past their staleness, then the oldest fetched beyond the bound.
  (t) => [index("jira_answers_fetched_at").on(t.fetchedAt), index("jira_answers_stale_until").on(t.staleUntil)]
)

/** Cluster-wide single flight: who is fetching a key, until when (a dead holder's claim lapses). UNLOGGED. */
export const jiraAnswerClaims = pgTable("jira_answer_claims", {
  keyHash: text("key_hash").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: at("expires_at").notNull()
})

/** Jira's limits per site, shared by every instance: a pause until a reset, a slow-down near the limit. UNLOGGED. */
export const jiraSiteLimits = pgTable("jira_site_limits", {
  site: text("site").primaryKey(),
  pausedUntil: at("paused_until"),
  pauseReason: text("pause_reason"),
  slowUntil: at("slow_until")
})

/**
 * The dashboard's sign-in throttle (adr/0022): one row per key (`account:<hash>`, `client:<address>`,
 * `pair:<hash>|<address>`), reserved in one upsert before the password is checked, so every instance shares
 * the count and a burst cannot slip past it. Rows expire; expired ones are deleted a few at a time.
 */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    key: text("key").primaryKey(),
    attempts: integer("attempts").notNull(),
    maxAttempts: integer("max_attempts").notNull(),
    windowStartedAt: at("window_started_at").notNull(),
    expiresAt: at("expires_at").notNull()
  },
  (t) => [
    index("login_attempts_expires_at").on(t.expiresAt),
    check("login_attempts_key_length", lengthBetween(t.key, 1, 400)),
    check("login_attempts_attempts_range", sql`${t.attempts} between 0 and ${t.maxAttempts} + 1`)
  ]
)
