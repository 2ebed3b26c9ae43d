import { Context, type Effect } from "effect"
import type { AuditEvent } from "../domain/audit.ts"
import type { Credential, PendingCredential } from "../domain/credential.ts"
import type { CredentialId, WorkspaceId } from "../domain/ids.ts"
import type { ConnectionHealth, JiraConfig } from "../domain/jira-config.ts"
import type {
  AlreadyConnected,
  CredentialInUse,
  InvalidInput,
  NotFound,
  SecretError,
  StaleVersion,
  StoreUnavailable
} from "../errors.ts"

export interface AuditCursor {
  readonly at: Date
  readonly id: string
}

/**
 * The integration's persistent state. Every write takes the audit event that describes it and
 * commits both in one unit of work: both land, or neither does. Every method is scoped to one workspace.
 */
export class ConfigStore extends Context.Service<
  ConfigStore,
  {
    listCredentials(workspaceId: WorkspaceId): Effect.Effect<ReadonlyArray<Credential>, StoreUnavailable>
    getCredential(workspaceId: WorkspaceId, id: CredentialId): Effect.Effect<Credential, NotFound | StoreUnavailable>
    /**
     * Writes the credential and its audit event, and removes the credential's pending record (if any), in one
     * unit of work. Answers "exists", writing nothing but that removal, when the workspace already has a
     * credential of that id (a repeated create); fails with InvalidInput (field `name`) when it has one of
     * that name.
     */
    createCredential(
      credential: Credential,
      audit: AuditEvent
    ): Effect.Effect<"created" | "exists", InvalidInput | StoreUnavailable>
    /** Phase 1 of a create (adr/0028), its own unit of work; recording the same credential again keeps the first. */
    recordPendingCredential(pending: PendingCredential): Effect.Effect<void, StoreUnavailable>
    /** Pending records of every workspace created before `createdBefore`, oldest first, at most `limit`. */
    listPendingCredentials(
      createdBefore: Date,
      limit: number
    ): Effect.Effect<ReadonlyArray<PendingCredential>, StoreUnavailable>
    /**
     * Settles a create that may or may not have committed, in one unit of work. When the credential exists, its
     * pending record goes and the credential is answered. Otherwise `removeSecret` runs and the pending record
     * goes with it, committed only if `removeSecret` succeeded (null is answered): a secret is never deleted
     * under a credential row, nor left without a record naming it.
     */
    settlePendingCredential(
      workspaceId: WorkspaceId,
      id: CredentialId,
      removeSecret: Effect.Effect<void, SecretError>
    ): Effect.Effect<Credential | null, SecretError | StoreUnavailable>
    /** Records a rotated token: stores the credential's new version and updatedAt. */
    updateCredential(credential: Credential, audit: AuditEvent): Effect.Effect<void, NotFound | StoreUnavailable>
    /**
     * Deletes the credential in one unit of work that first checks no configuration uses it (CredentialInUse,
     * `removeSecret` not run), then runs `removeSecret` and commits only if it succeeded: a credential in use
     * never loses its secret, and a secret store failure leaves the row.
     */
    deleteCredential(
      workspaceId: WorkspaceId,
      id: CredentialId,
      audit: AuditEvent,
      removeSecret: Effect.Effect<void, SecretError>
    ): Effect.Effect<void, NotFound | CredentialInUse | SecretError | StoreUnavailable>

    getConfig(workspaceId: WorkspaceId): Effect.Effect<JiraConfig | null, StoreUnavailable>
    /**
     * Fails with AlreadyConnected when the workspace has a configuration (at most one per workspace), and
     * with InvalidInput (field `credentialId`) when the credential is not the workspace's.
     */
    createConfig(
      config: JiraConfig,
      audit: AuditEvent
    ): Effect.Effect<void, AlreadyConnected | InvalidInput | StoreUnavailable>
    /** Stores `config` (whose version is `expectedVersion + 1`) only if the stored version is `expectedVersion`. */
    updateConfig(
      config: JiraConfig,
      expectedVersion: number,
      audit: AuditEvent
    ): Effect.Effect<void, StaleVersion | NotFound | InvalidInput | StoreUnavailable>
    /** Deletes the configuration if its version is `expectedVersion` (any version when null). */
    deleteConfig(
      workspaceId: WorkspaceId,
      expectedVersion: number | null,
      audit: AuditEvent
    ): Effect.Effect<void, StaleVersion | NotFound | StoreUnavailable>
    /**
     * Records the outcome of a connection test; when it succeeded, its route and cloudId become the
     * configuration's (every later call uses them). Not a configuration change, so not audited.
     */
    recordHealth(workspaceId: WorkspaceId, health: ConnectionHealth): Effect.Effect<void, NotFound | StoreUnavailable>

    /** Newest first; `before` continues after the last event of the previous page. */
    listAudit(
      workspaceId: WorkspaceId,
      page: { readonly limit: number; readonly before: AuditCursor | null }
    ): Effect.Effect<ReadonlyArray<AuditEvent>, StoreUnavailable>
  }
>()("@sciple/jira-core/ConfigStore") {}
