import {
  AlreadyConnected,
  type AuditEvent,
  ConfigStore,
  type Credential,
  CredentialInUse,
  InvalidInput,
  JiraConfig,
  NotFound,
  type PendingCredential,
  type SecretError,
  StaleVersion
} from "@sciple/jira-core"
import { Effect, Layer } from "effect"

/**
 * This service's own ConfigStore: a few maps, and one synchronous step per write, which is its
 * transaction (a change and its audit event land together). It passes core's contract suite.
 */
export const makeMemoryConfigStore = () => {
  const credentials = new Map<string, Credential>()
  const configs = new Map<string, JiraConfig>()
  const audit: Array<AuditEvent> = []
  // Credential creates in flight, by `<workspaceId>/<credentialId>`.
  const pending = new Map<string, PendingCredential>()
  const pendingKey = (workspaceId: string, id: string) => `${workspaceId}/${id}`
  const commit = (event: AuditEvent, apply: () => void) =>
    Effect.sync(() => {
      apply()
      audit.push(event)
    })
  const credentialOf = (workspaceId: string, id: string) => {
    const found = credentials.get(id)
    return found !== undefined && found.workspaceId === workspaceId ? found : undefined
  }
  const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

  return ConfigStore.of({
    listCredentials: (workspaceId) =>
      Effect.sync(() =>
        [...credentials.values()]
          .filter((c) => c.workspaceId === workspaceId)
          .sort((a, b) => a.name.localeCompare(b.name))
      ),
    getCredential: (workspaceId, id) =>
      Effect.suspend(() => {
        const found = credentialOf(workspaceId, id)
        return found === undefined ? Effect.fail(new NotFound({ entity: "credential", id })) : Effect.succeed(found)
      }),
    createCredential: (credential, event) =>
      Effect.suspend((): Effect.Effect<"created" | "exists", InvalidInput> => {
        const key = pendingKey(credential.workspaceId, credential.id)
        if (credentialOf(credential.workspaceId, credential.id) !== undefined) {
          pending.delete(key)
          return Effect.succeed("exists")
        }
        const taken = [...credentials.values()].some(
          (c) => c.workspaceId === credential.workspaceId && sameName(c.name, credential.name)
        )
        if (taken) return Effect.fail(InvalidInput.one("name", "A credential with this name already exists."))
        return Effect.as(
          commit(event, () => {
            credentials.set(credential.id, credential)
            pending.delete(key)
          }),
          "created" as const
        )
      }),
    recordPendingCredential: (record) =>
      Effect.sync(() => {
        const key = pendingKey(record.workspaceId, record.credentialId)
        if (!pending.has(key)) pending.set(key, record)
      }),
    listPendingCredentials: (createdBefore, limit) =>
      Effect.sync(() =>
        [...pending.values()]
          .filter((p) => p.createdAt.getTime() < createdBefore.getTime())
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .slice(0, Math.max(0, limit))
      ),
    settlePendingCredential: (workspaceId, id, removeSecret) =>
      Effect.suspend((): Effect.Effect<Credential | null, SecretError> => {
        const key = pendingKey(workspaceId, id)
        const found = credentialOf(workspaceId, id)
        if (found !== undefined) {
          pending.delete(key)
          return Effect.succeed(found)
        }
        return Effect.as(
          Effect.tap(removeSecret, () => Effect.sync(() => pending.delete(key))),
          null
        )
      }),
    updateCredential: (credential, event) =>
      Effect.suspend(() =>
        credentialOf(credential.workspaceId, credential.id) === undefined
          ? Effect.fail(new NotFound({ entity: "credential", id: credential.id }))
          : commit(event, () => credentials.set(credential.id, credential))
      ),
    deleteCredential: (workspaceId, id, event, removeSecret) =>
      Effect.suspend((): Effect.Effect<void, NotFound | CredentialInUse | SecretError> => {
        if (credentialOf(workspaceId, id) === undefined) return Effect.fail(new NotFound({ entity: "credential", id }))
        if (configs.get(workspaceId)?.credentialId === id) return Effect.fail(new CredentialInUse({ credentialId: id }))
        return Effect.andThen(
          removeSecret,
          commit(event, () => credentials.delete(id))
        )
      }),

    getConfig: (workspaceId) => Effect.sync(() => configs.get(workspaceId) ?? null),
    createConfig: (config, event) =>
      Effect.suspend((): Effect.Effect<void, AlreadyConnected | InvalidInput> => {
        if (configs.has(config.workspaceId)) return Effect.fail(new AlreadyConnected())
        if (credentialOf(config.workspaceId, config.credentialId) === undefined)
          return Effect.fail(InvalidInput.one("credentialId", "Select an existing credential."))
        return commit(event, () => configs.set(config.workspaceId, config))
      }),
    updateConfig: (config, expectedVersion, event) =>
      Effect.suspend((): Effect.Effect<void, NotFound | StaleVersion | InvalidInput> => {
        const stored = configs.get(config.workspaceId)
        if (stored === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
        if (stored.version !== expectedVersion)
          return Effect.fail(new StaleVersion({ expected: expectedVersion, actual: stored.version }))
        if (credentialOf(config.workspaceId, config.credentialId) === undefined)
          return Effect.fail(InvalidInput.one("credentialId", "Select an existing credential."))
        return commit(event, () => configs.set(config.workspaceId, config))
      }),
    deleteConfig: (workspaceId, expectedVersion, event) =>
      Effect.suspend((): Effect.Effect<void, NotFound | StaleVersion> => {
        const stored = configs.get(workspaceId)
        if (stored === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
        if (expectedVersion !== null && stored.version !== expectedVersion)
          return Effect.fail(new StaleVersion({ expected: expectedVersion, actual: stored.version }))
        return commit(event, () => configs.delete(workspaceId))
      }),
    recordHealth: (workspaceId, health) =>
      Effect.suspend(() => {
        const stored = configs.get(workspaceId)
        if (stored === undefined) return Effect.fail(new NotFound({ entity: "jira_config", id: "" }))
        return Effect.sync(() => {
          // A passing test also records the route (site or gateway) and cloudId later calls use.
          configs.set(
            workspaceId,
            new JiraConfig({
              ...stored,
              health,
              ...(health.ok ? { route: health.route, cloudId: health.cloudId } : {})
            })
          )
        })
      }),

    listAudit: (workspaceId, page) =>
      Effect.sync(() =>
        audit
          .filter((e) => e.workspaceId === workspaceId)
          .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .filter(
            (e) =>
              page.before === null ||
              e.at.getTime() < page.before.at.getTime() ||
              (e.at.getTime() === page.before.at.getTime() && e.id < page.before.id)
          )
          .slice(0, page.limit)
      )
  })
}

/** A fresh, empty store as a layer. */
export const MemoryConfigStore = () => Layer.sync(ConfigStore, makeMemoryConfigStore)
