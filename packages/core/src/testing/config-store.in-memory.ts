import { Effect, Layer } from "effect"
import type { AuditEvent } from "../domain/audit.ts"
import { Credential, type PendingCredential } from "../domain/credential.ts"
import type { CredentialId, WorkspaceId } from "../domain/ids.ts"
import { JiraConfig } from "../domain/jira-config.ts"
import { AlreadyConnected, CredentialInUse, InvalidInput, NotFound, type SecretError, StaleVersion } from "../errors.ts"
import { type AuditCursor, ConfigStore } from "../ports/ConfigStore.ts"
import { Faults } from "./faults.ts"

export type ConfigStoreOp =
  | "listCredentials"
  | "getCredential"
  | "createCredential"
  | "recordPendingCredential"
  | "listPendingCredentials"
  | "settlePendingCredential"
  | "updateCredential"
  | "deleteCredential"
  | "getConfig"
  | "createConfig"
  | "updateConfig"
  | "deleteConfig"
  | "recordHealth"
  | "listAudit"

/** Everything the in-memory store holds; tests read it to check what was (not) written. */
/** @public the fake store's state, part of what `aTestWorld` returns */
export interface ConfigStoreState {
  readonly credentials: Map<CredentialId, Credential>
  readonly configs: Map<WorkspaceId, JiraConfig>
  readonly audit: Array<AuditEvent>
  /** Keyed by `pendingKey(workspaceId, credentialId)`. */
  readonly pending: Map<string, PendingCredential>
}

const pendingKey = (workspaceId: WorkspaceId, credentialId: CredentialId) => `${workspaceId}/${credentialId}`

const newestFirst = (a: AuditEvent, b: AuditEvent) =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

const isBefore = (event: AuditEvent, cursor: AuditCursor) =>
  event.at.getTime() < cursor.at.getTime() || (event.at.getTime() === cursor.at.getTime() && event.id < cursor.id)

/**
 * The ConfigStore fake. Each write checks its preconditions and then applies the change and its audit
 * event in one synchronous step, which is this fake's transaction.
 */
export const makeInMemoryConfigStore = () => {
  const state: ConfigStoreState = { credentials: new Map(), configs: new Map(), audit: [], pending: new Map() }
  const faults = new Faults<ConfigStoreOp | "audit">()
  // An audit failure must leave the change unapplied, like a rolled-back transaction.
  const commit = (audit: AuditEvent, apply: () => void) =>
    faults.guard(
      "audit",
      Effect.sync(() => {
        apply()
        state.audit.push(audit)
      })
    )

  const store = ConfigStore.of({
    listCredentials: (workspaceId) =>
      faults.guard(
        "listCredentials",
        Effect.sync(() =>
          [...state.credentials.values()]
            .filter((c) => c.workspaceId === workspaceId)
            .sort((a, b) => a.name.localeCompare(b.name))
        )
      ),
    getCredential: (workspaceId, id) =>
      faults.guard(
        "getCredential",
        Effect.suspend(() => {
          const found = state.credentials.get(id)
          return found !== undefined && found.workspaceId === workspaceId
            ? Effect.succeed(found)
            : Effect.fail(new NotFound({ entity: "credential", id }))
        })
      ),
    createCredential: (credential, audit) =>
      faults.guard(
        "createCredential",
        Effect.suspend((): Effect.Effect<"created" | "exists", InvalidInput> => {
          const key = pendingKey(credential.workspaceId, credential.id)
          if (state.credentials.get(credential.id)?.workspaceId === credential.workspaceId) {
            state.pending.delete(key)
            return Effect.succeed("exists")
          }
          const taken = [...state.credentials.values()].some(
            (c) => c.workspaceId === credential.workspaceId && c.name.toLowerCase() === credential.name.toLowerCase()
          )
          if (taken) return Effect.fail(InvalidInput.one("name", "A credential with this name already exists."))
          return Effect.as(
            commit(audit, () => {
              state.credentials.set(credential.id, credential)
              state.pending.delete(key)
            }),
            "created" as const
          )
        })
      ),
    recordPendingCredential: (pending) =>
      faults.guard(
        "recordPendingCredential",
        Effect.sync(() => {
          const key = pendingKey(pending.workspaceId, pending.credentialId)
          if (!state.pending.has(key)) state.pending.set(key, pending)
        })
      ),
    listPendingCredentials: (createdBefore, limit) =>
      faults.guard(
        "listPendingCredentials",
        Effect.sync(() =>
          [...state.pending.values()]
            .filter((p) => p.createdAt.getTime() < createdBefore.getTime())
            .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
            .slice(0, Math.max(0, limit))
        )
      ),
    settlePendingCredential: (workspaceId, id, removeSecret) =>
      faults.guard(
        "settlePendingCredential",
        Effect.suspend((): Effect.Effect<Credential | null, SecretError> => {
          const key = pendingKey(workspaceId, id)
          const found = state.credentials.get(id)
          if (found !== undefined && found.workspaceId === workspaceId) {
            state.pending.delete(key)
            return Effect.succeed(found)
          }
          return Effect.as(
            Effect.tap(removeSecret, () => Effect.sync(() => state.pending.delete(key))),
            null
          )
        })
      ),
    updateCredential: (credential, audit) =>
      faults.guard(
        "updateCredential",
        Effect.suspend((): Effect.Effect<void, NotFound> => {
          const found = state.credentials.get(credential.id)
          if (found === undefined || found.workspaceId !== credential.workspaceId) {
            return Effect.fail(new NotFound({ entity: "credential", id: credential.id }))
          }
          return commit(audit, () => state.credentials.set(credential.id, new Credential({ ...credential })))
        })
      ),
    deleteCredential: (workspaceId, id, audit, removeSecret) =>
      faults.guard(
        "deleteCredential",
        Effect.suspend((): Effect.Effect<void, NotFound | CredentialInUse | SecretError> => {
          const found = state.credentials.get(id)
          if (found === undefined || found.workspaceId !== workspaceId) {
            return Effect.fail(new NotFound({ entity: "credential", id }))
          }
          if (state.configs.get(workspaceId)?.credentialId === id)
            return Effect.fail(new CredentialInUse({ credentialId: id }))
          return Effect.andThen(
            removeSecret,
            commit(audit, () => state.credentials.delete(id))
          )
        })
      ),
    getConfig: (workspaceId) =>
      faults.guard(
        "getConfig",
        Effect.sync(() => state.configs.get(workspaceId) ?? null)
      ),
    createConfig: (config, audit) =>
      faults.guard(
        "createConfig",
        Effect.suspend((): Effect.Effect<void, AlreadyConnected | InvalidInput> => {
          if (state.configs.has(config.workspaceId)) return Effect.fail(new AlreadyConnected())
          const credential = state.credentials.get(config.credentialId)
          if (credential === undefined || credential.workspaceId !== config.workspaceId) {
            return Effect.fail(InvalidInput.one("credentialId", "Select an existing credential."))
          }
          return commit(audit, () => state.configs.set(config.workspaceId, config))
        })
      ),
    updateConfig: (config, expectedVersion, audit) =>
      faults.guard(
        "updateConfig",
        Effect.suspend((): Effect.Effect<void, NotFound | StaleVersion> => {
          const current = state.configs.get(config.workspaceId)
          if (current === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
          if (current.version !== expectedVersion) {
            return Effect.fail(new StaleVersion({ expected: expectedVersion, actual: current.version }))
          }
          return commit(audit, () => state.configs.set(config.workspaceId, config))
        })
      ),
    deleteConfig: (workspaceId, expectedVersion, audit) =>
      faults.guard(
        "deleteConfig",
        Effect.suspend((): Effect.Effect<void, NotFound | StaleVersion> => {
          const current = state.configs.get(workspaceId)
          if (current === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
          if (expectedVersion !== null && current.version !== expectedVersion) {
            return Effect.fail(new StaleVersion({ expected: expectedVersion, actual: current.version }))
          }
          return commit(audit, () => state.configs.delete(workspaceId))
        })
      ),
    recordHealth: (workspaceId, health) =>
      faults.guard(
        "recordHealth",
        Effect.suspend(() => {
          const current = state.configs.get(workspaceId)
          if (current === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
          state.configs.set(
            workspaceId,
            new JiraConfig({
              ...current,
              health,
              ...(health.ok ? { route: health.route, cloudId: health.cloudId } : {})
            })
          )
          return Effect.void
        })
      ),
    listAudit: (workspaceId, page) =>
      faults.guard(
        "listAudit",
        Effect.sync(() =>
          state.audit
            .filter((e) => e.workspaceId === workspaceId && (page.before === null || isBefore(e, page.before)))
            .sort(newestFirst)
            .slice(0, page.limit)
        )
      )
  })
  return { store, state, faults, layer: Layer.succeed(ConfigStore, store) }
}
