import { ConfigStore, type Credential, type JiraConfig } from "@sciple/jira-core"
import { Effect, Layer } from "effect"
import type { StoreCacheOptions } from "./account-store.cached.ts"
import { Change, ChangeFeed, type ChangeFeedShape, publishAfter, subscribeScoped } from "./change-feed.ts"
import { always, CACHE_TTL_MS, isPresent, readThrough, TtlCache } from "./ttl-cache.ts"

const credentialKey = (workspaceId: string, id: string) => `${workspaceId}\u0000${id}`

/**
 * The Jira configuration and credential reads every page makes, from memory for a short TTL; dropped by the
 * workspace's change notices (any instance's write) and at once by this instance's own writes. A missing
 * configuration ("not connected") and a missing credential are read again every time, as are failures.
 * @internal exported for its tests
 */
export const cachedConfigStore = (store: ConfigStore["Service"], feed: ChangeFeedShape, options: StoreCacheOptions) => {
  const settings = { ttlMs: options.ttlMs ?? CACHE_TTL_MS, maxEntries: options.maxEntries ?? 10_000 }
  const configs = new TtlCache<JiraConfig>(settings)
  const credentials = new TtlCache<Credential>(settings)

  const drop = (change: Change) => {
    if (change._tag === "Workspace") {
      configs.delete(change.workspaceId)
      credentials.deleteWhere((credential) => credential.workspaceId === change.workspaceId)
    } else if (change._tag === "Everything") {
      configs.clear()
      credentials.clear()
    }
  }

  const telling = (workspaceId: string) => publishAfter(feed, Change.workspace(workspaceId))

  const service = ConfigStore.of({
    ...store,
    getConfig: (workspaceId) => readThrough(configs, workspaceId, () => store.getConfig(workspaceId), isPresent),
    getCredential: (workspaceId, id) =>
      readThrough(credentials, credentialKey(workspaceId, id), () => store.getCredential(workspaceId, id), always),
    createCredential: (credential, audit) =>
      store.createCredential(credential, audit).pipe(telling(credential.workspaceId)),
    updateCredential: (credential, audit) =>
      store.updateCredential(credential, audit).pipe(telling(credential.workspaceId)),
    deleteCredential: (workspaceId, id, audit, removeSecret) =>
      store.deleteCredential(workspaceId, id, audit, removeSecret).pipe(telling(workspaceId)),
    createConfig: (config, audit) => store.createConfig(config, audit).pipe(telling(config.workspaceId)),
    updateConfig: (config, expectedVersion, audit) =>
      store.updateConfig(config, expectedVersion, audit).pipe(telling(config.workspaceId)),
    deleteConfig: (workspaceId, expectedVersion, audit) =>
      store.deleteConfig(workspaceId, expectedVersion, audit).pipe(telling(workspaceId)),
    recordHealth: (workspaceId, health) => store.recordHealth(workspaceId, health).pipe(telling(workspaceId))
  })
  return { service, drop, sizes: () => ({ configs: configs.size, credentials: credentials.size }) }
}

/** Decorates the ConfigStore below it; needs the ChangeFeed. */
export const layer = (options: StoreCacheOptions = {}): Layer.Layer<ConfigStore, never, ConfigStore | ChangeFeed> =>
  Layer.effect(
    ConfigStore,
    Effect.gen(function* () {
      const feed = yield* ChangeFeed
      const cached = cachedConfigStore(yield* ConfigStore, feed, options)
      yield* subscribeScoped(feed, cached.drop)
      return cached.service
    })
  )
