import {
  AlreadyConnected,
  AuditEvent,
  ConfigStore,
  type ConnectionHealth,
  Credential,
  CredentialInUse,
  InvalidInput,
  JiraConfig,
  NotFound,
  type SecretError,
  StaleVersion,
  type StoreUnavailable
} from "@sciple/jira-core"
import { and, asc, desc, eq, sql } from "drizzle-orm"
import { Effect, Layer } from "effect"
import { Change, notifyChange } from "./change-notices.ts"
import type { DatabaseFailure } from "./database-failure.ts"
import { decodeRow } from "./decode-row.ts"
import { type Db, DrizzleDatabase } from "./drizzle-database.ts"
import { runEffectInTransaction } from "./effect-in-transaction.ts"
import { makePendingCredentialsDrizzle, removePending } from "./pending-credentials.drizzle.ts"
import { auditEvents, credentials, jiraConfigs } from "./schema.ts"
import { invalidInputOrUnavailable, requireSameWorkspace, storeUnavailable } from "./store-errors.ts"

/** The largest audit page a caller gets, whatever it asks for. */
const MAX_AUDIT_PAGE = 500

type CredentialRow = typeof credentials.$inferSelect
type ConfigRow = typeof jiraConfigs.$inferSelect
type AuditRow = typeof auditEvents.$inferSelect

const decodeCredential = decodeRow(Credential, "credential")
const decodeConfig = decodeRow(JiraConfig, "Jira configuration")
const decodeAudit = decodeRow(AuditEvent, "audit event")

const credentialFromRow = (row: CredentialRow) => decodeCredential({ ...row })

const configFromRow = (row: ConfigRow) =>
  decodeConfig({
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    baseUrl: row.baseUrl,
    credentialId: row.credentialId,
    defaultJql: row.defaultJql,
    health:
      row.healthCheckedAt === null
        ? null
        : {
            checkedAt: row.healthCheckedAt,
            ok: row.healthOk,
            accountEmail: row.healthAccountEmail,
            accountName: row.healthAccountName,
            error: row.healthError,
            route: row.healthRoute,
            cloudId: row.healthCloudId
          },
    route: row.route,
    cloudId: row.cloudId,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  })

const auditFromRow = (row: AuditRow) => decodeAudit({ ...row })

const healthColumns = (health: ConnectionHealth | null) => ({
  healthCheckedAt: health?.checkedAt ?? null,
  healthOk: health?.ok ?? null,
  healthAccountEmail: health?.accountEmail ?? null,
  healthAccountName: health?.accountName ?? null,
  healthError: health?.error ?? null,
  healthRoute: health?.route ?? null,
  healthCloudId: health?.cloudId ?? null
})

const configColumns = (config: JiraConfig) => ({
  name: config.name,
  baseUrl: config.baseUrl,
  credentialId: config.credentialId,
  defaultJql: config.defaultJql,
  version: config.version,
  updatedAt: config.updatedAt,
  route: config.route,
  cloudId: config.cloudId,
  ...healthColumns(config.health)
})

/** Appends an audit event inside the caller's transaction, so it commits or rolls back with the change it records. */
export const insertAuditEvent = (tx: Db, audit: AuditEvent) =>
  tx.insert(auditEvents).values({
    workspaceId: audit.workspaceId,
    id: audit.id,
    actorId: audit.actorId,
    action: audit.action,
    at: audit.at,
    credentialId: audit.credentialId,
    changes: audit.changes
  })

/** The stored version of the workspace's configuration, to tell a stale version from a missing row. */
const storedVersion = async (tx: Db, workspaceId: string): Promise<number | null> => {
  const [row] = await tx
    .select({ version: jiraConfigs.version })
    .from(jiraConfigs)
    .where(eq(jiraConfigs.workspaceId, workspaceId))
  return row?.version ?? null
}

const CREDENTIAL_NAME_TAKEN = "A credential with this name already exists."

/** ConfigStore on PostgreSQL or PGlite: every change and its audit event commit in one transaction. */
const makeConfigStoreDrizzle = Effect.gen(function* () {
  const database = yield* DrizzleDatabase

  const read = <A>(body: (db: Db) => Promise<A>) => database.run(body).pipe(Effect.mapError(storeUnavailable))

  const listCredentials = (workspaceId: string) =>
    read((db) =>
      db
        .select()
        .from(credentials)
        .where(eq(credentials.workspaceId, workspaceId))
        .orderBy(asc(sql`lower(${credentials.name})`), asc(credentials.name), asc(credentials.id))
    ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, credentialFromRow)))

  const getCredential = (workspaceId: string, id: string) =>
    read((db) =>
      db
        .select()
        .from(credentials)
        .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, id)))
    ).pipe(
      Effect.flatMap(
        ([row]): Effect.Effect<Credential, NotFound | StoreUnavailable> =>
          row === undefined ? Effect.fail(new NotFound({ entity: "credential", id })) : credentialFromRow(row)
      )
    )

  const createCredential = (credential: Credential, audit: AuditEvent) =>
    requireSameWorkspace(audit.workspaceId, credential.workspaceId).pipe(
      Effect.andThen(
        database.transaction<"created" | "exists", never>(async (tx) => {
          // A repeated create (same id) inserts nothing; another credential's name still fails the name index.
          const inserted = await tx
            .insert(credentials)
            .values({ ...credential })
            .onConflictDoNothing({ target: [credentials.workspaceId, credentials.id] })
            .returning({ id: credentials.id })
          await removePending(tx, credential.workspaceId, credential.id)
          if (inserted.length === 0) return "exists"
          await insertAuditEvent(tx, audit)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
          return "created"
        })
      ),
      Effect.mapError((failure) =>
        failure.kind === "unique" && failure.constraint === "credentials_name_unique"
          ? InvalidInput.one("name", CREDENTIAL_NAME_TAKEN)
          : invalidInputOrUnavailable(failure)
      )
    )

  const updateCredential = (credential: Credential, audit: AuditEvent) =>
    requireSameWorkspace(audit.workspaceId, credential.workspaceId).pipe(
      Effect.andThen(
        database.transaction<void, NotFound>(async (tx, abort) => {
          const updated = await tx
            .update(credentials)
            .set({
              name: credential.name,
              username: credential.username,
              secretRef: credential.secretRef,
              version: credential.version,
              updatedAt: credential.updatedAt
            })
            .where(and(eq(credentials.workspaceId, credential.workspaceId), eq(credentials.id, credential.id)))
            .returning({ id: credentials.id })
          if (updated.length === 0) abort(new NotFound({ entity: "credential", id: credential.id }))
          await insertAuditEvent(tx, audit)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
        })
      ),
      Effect.mapError((error) => (error._tag === "DatabaseFailure" ? storeUnavailable(error) : error))
    )

  const deleteCredential = (
    workspaceId: string,
    id: string,
    audit: AuditEvent,
    removeSecret: Effect.Effect<void, SecretError>
  ) =>
    requireSameWorkspace(audit.workspaceId, workspaceId).pipe(
      Effect.andThen(Effect.context<never>()),
      Effect.flatMap((context) =>
        database.transaction<void, NotFound | SecretError>(async (tx, abort) => {
          // The foreign key (ON DELETE RESTRICT) refuses a credential in use here, before the secret is touched.
          const deleted = await tx
            .delete(credentials)
            .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, id)))
            .returning({ id: credentials.id })
          if (deleted.length === 0) abort(new NotFound({ entity: "credential", id }))
          await insertAuditEvent(tx, audit)
          // The row stays locked meanwhile, so no connect can take the credential whose secret is going.
          await runEffectInTransaction(context, removeSecret, abort)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
        })
      ),
      Effect.mapError((error) => {
        if (error._tag !== "DatabaseFailure") return error
        // The configuration's foreign key is ON DELETE RESTRICT: the credential is in use.
        if (error.kind === "foreign_key" && error.constraint === "jira_configs_credential_fk")
          return new CredentialInUse({ credentialId: id })
        return storeUnavailable(error)
      })
    )

  const getConfig = (workspaceId: string) =>
    read((db) => db.select().from(jiraConfigs).where(eq(jiraConfigs.workspaceId, workspaceId))).pipe(
      Effect.flatMap(([row]) => (row === undefined ? Effect.succeed(null) : configFromRow(row)))
    )

  const createConfig = (config: JiraConfig, audit: AuditEvent) =>
    requireSameWorkspace(audit.workspaceId, config.workspaceId).pipe(
      Effect.andThen(
        database.transaction<void, never>(async (tx) => {
          await tx.insert(jiraConfigs).values({
            id: config.id,
            workspaceId: config.workspaceId,
            createdAt: config.createdAt,
            ...configColumns(config)
          })
          await insertAuditEvent(tx, audit)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
        })
      ),
      Effect.mapError(createConfigError)
    )

  const updateConfig = (config: JiraConfig, expectedVersion: number, audit: AuditEvent) =>
    requireSameWorkspace(audit.workspaceId, config.workspaceId).pipe(
      Effect.andThen(
        database.transaction<void, NotFound | StaleVersion>(async (tx, abort) => {
          // The version check and the write are one statement: a concurrent update makes this one match nothing.
          const updated = await tx
            .update(jiraConfigs)
            .set(configColumns(config))
            .where(and(eq(jiraConfigs.workspaceId, config.workspaceId), eq(jiraConfigs.version, expectedVersion)))
            .returning({ id: jiraConfigs.id })
          if (updated.length === 0) abort(await missingOrStale(tx, config.workspaceId, expectedVersion))
          await insertAuditEvent(tx, audit)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
        })
      ),
      Effect.mapError((error) => (error._tag === "DatabaseFailure" ? configWriteError(error) : error))
    )

  const deleteConfig = (workspaceId: string, expectedVersion: number | null, audit: AuditEvent) =>
    requireSameWorkspace(audit.workspaceId, workspaceId).pipe(
      Effect.andThen(
        database.transaction<void, NotFound | StaleVersion>(async (tx, abort) => {
          const deleted = await tx
            .delete(jiraConfigs)
            .where(
              and(
                eq(jiraConfigs.workspaceId, workspaceId),
                expectedVersion === null ? undefined : eq(jiraConfigs.version, expectedVersion)
              )
            )
            .returning({ id: jiraConfigs.id })
          if (deleted.length === 0) abort(await missingOrStale(tx, workspaceId, expectedVersion ?? 0))
          await insertAuditEvent(tx, audit)
          await notifyChange(tx, Change.workspace(audit.workspaceId))
        })
      ),
      Effect.mapError((error) => (error._tag === "DatabaseFailure" ? storeUnavailable(error) : error))
    )

  const recordHealth = (workspaceId: string, health: ConnectionHealth) =>
    database
      .transaction<void, NotFound>(async (tx, abort) => {
        const updated = await tx
          .update(jiraConfigs)
          // A successful test's route is the one every later call takes.
          .set({ ...healthColumns(health), ...(health.ok ? { route: health.route, cloudId: health.cloudId } : {}) })
          .where(eq(jiraConfigs.workspaceId, workspaceId))
          .returning({ id: jiraConfigs.id })
        if (updated.length === 0) abort(new NotFound({ entity: "jira_config", id: "" }))
        await notifyChange(tx, Change.workspace(workspaceId))
      })
      .pipe(Effect.mapError((error) => (error._tag === "DatabaseFailure" ? storeUnavailable(error) : error)))

  const listAudit: ConfigStore["Service"]["listAudit"] = (workspaceId, page) =>
    read((db) =>
      db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.workspaceId, workspaceId),
            page.before === null
              ? undefined
              : sql`(${auditEvents.at}, ${auditEvents.id}) < (${page.before.at.toISOString()}::timestamptz, ${page.before.id})`
          )
        )
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(Math.max(0, Math.min(MAX_AUDIT_PAGE, Math.floor(page.limit) || 0)))
    ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, auditFromRow)))

  return ConfigStore.of({
    listCredentials,
    getCredential,
    createCredential,
    ...makePendingCredentialsDrizzle(database),
    updateCredential,
    deleteCredential,
    getConfig,
    createConfig,
    updateConfig,
    deleteConfig,
    recordHealth,
    listAudit
  })
})

const missingOrStale = async (tx: Db, workspaceId: string, expected: number) => {
  const actual = await storedVersion(tx, workspaceId)
  return actual === null ? new NotFound({ entity: "jira_config", id: "" }) : new StaleVersion({ expected, actual })
}

const credentialNotInWorkspace = () => InvalidInput.one("credentialId", "Select an existing credential.")

/** A failed write of the configuration, as ConfigStore's errors. */
const configWriteError = (failure: DatabaseFailure) => {
  // The composite foreign key (workspace_id, credential_id) also refuses another workspace's credential.
  if (failure.kind === "foreign_key" && failure.constraint === "jira_configs_credential_fk")
    return credentialNotInWorkspace()
  return invalidInputOrUnavailable(failure)
}

/** The unique index on workspace_id is what makes "one connection per workspace" hold under races. */
const createConfigError = (failure: DatabaseFailure) =>
  failure.kind === "unique" && failure.constraint === "jira_configs_workspace_unique"
    ? new AlreadyConnected()
    : configWriteError(failure)

export const ConfigStoreDrizzle = Layer.effect(ConfigStore, makeConfigStoreDrizzle)
