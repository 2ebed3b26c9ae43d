import { SecretStore } from "@sciple/jira-core"
import { Effect, Layer, type Redacted } from "effect"
import type { StoreCacheOptions } from "./account-store.cached.ts"
import { type Change, ChangeFeed, subscribeScoped } from "./change-feed.ts"
import { always, CACHE_TTL_MS, readThrough, TtlCache } from "./ttl-cache.ts"

/**
 * Secret reads (a network call to AWS, or a file read and an AES decryption) from memory for a short TTL.
 * Values stay `Redacted`. A ref's entry goes at once when this instance rotates or deletes it, and every
 * entry goes on any workspace's change notice: another instance's rotation is followed by the credential's
 * update, whose notice says only which workspace changed, and a ref does not say whose it is.
 * @internal exported for its tests
 */
export const cachedSecretStore = (store: SecretStore["Service"], options: StoreCacheOptions) => {
  const secrets = new TtlCache<Redacted.Redacted<string>>({
    ttlMs: options.ttlMs ?? CACHE_TTL_MS,
    maxEntries: options.maxEntries ?? 10_000
  })

  const drop = (change: Change) => {
    if (change._tag === "Workspace" || change._tag === "Everything") secrets.clear()
  }

  const dropping =
    (ref: string | null) =>
    <A, E, R>(write: Effect.Effect<A, E, R>) =>
      Effect.ensuring(
        write,
        Effect.sync(() => (ref === null ? secrets.clear() : secrets.delete(ref)))
      )

  const service = SecretStore.of({
    refFor: (owner) => store.refFor(owner),
    // A put may overwrite a leftover secret of the same owner: its ref's entry goes.
    put: (owner, value) => store.put(owner, value).pipe(dropping(store.refFor(owner))),
    get: (ref) => readThrough(secrets, ref, () => store.get(ref), always),
    rotate: (ref, value) => store.rotate(ref, value).pipe(dropping(ref)),
    delete: (ref) => store.delete(ref).pipe(dropping(ref))
  })
  return { service, drop, size: () => secrets.size }
}

/** Decorates the SecretStore below it; needs the ChangeFeed. */
export const layer = (options: StoreCacheOptions = {}): Layer.Layer<SecretStore, never, SecretStore | ChangeFeed> =>
  Layer.effect(
    SecretStore,
    Effect.gen(function* () {
      const feed = yield* ChangeFeed
      const cached = cachedSecretStore(yield* SecretStore, options)
      yield* subscribeScoped(feed, cached.drop)
      return cached.service
    })
  )
