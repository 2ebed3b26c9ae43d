import { describe, expect, it } from "@effect/vitest"
import { CredentialId, StoreUnavailable, UserId, WorkspaceId } from "@sciple/jira-core"
import { aConfig, aCredential, anAudit, makeInMemoryConfigStore } from "@sciple/jira-core/testing"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { Change, ChangeFeed } from "../../src/caching/change-feed.ts"
import { cachedConfigStore } from "../../src/caching/config-store.cached.ts"
import { spyOn } from "../support/store-spy.ts"

const WS = WorkspaceId.make("ws-1")
const OTHER = WorkspaceId.make("ws-2")
const USER = UserId.make("u-1")

/** The in-memory store with a connected workspace and a second one, behind the cache. */
const setup = Effect.gen(function* () {
  const memory = makeInMemoryConfigStore()
  const credential = aCredential(WS, USER)
  const otherCredential = aCredential(OTHER, USER)
  yield* memory.store.createCredential(credential, anAudit(WS, USER, "CREDENTIAL_CREATED"))
  yield* memory.store.createCredential(otherCredential, anAudit(OTHER, USER, "CREDENTIAL_CREATED"))
  const config = aConfig(credential)
  yield* memory.store.createConfig(config, anAudit(WS, USER, "JIRA_CONFIG_CREATED"))
  yield* memory.store.createConfig(aConfig(otherCredential), anAudit(OTHER, USER, "JIRA_CONFIG_CREATED"))
  const spy = spyOn(memory.store)
  const feed = yield* ChangeFeed
  const heard: Array<Change> = []
  feed.subscribe((change) => heard.push(change))
  const cached = cachedConfigStore(spy.service, feed, {})
  feed.subscribe(cached.drop)
  const readBoth = Effect.all([
    cached.service.getConfig(WS),
    cached.service.getCredential(WS, credential.id),
    cached.service.getConfig(OTHER),
    cached.service.getCredential(OTHER, otherCredential.id)
  ])
  const counts = () => [spy.count("getConfig"), spy.count("getCredential")]
  return { spy, feed, heard, store: cached.service, credential, config, readBoth, counts }
}).pipe(Effect.provide(ChangeFeed.layerLocal))

describe("ConfigStore cache", () => {
  it.effect("serves the configuration and credential from memory until the TTL passes", () =>
    Effect.gen(function* () {
      const { store, credential, counts } = yield* setup
      for (let i = 0; i < 3; i++) {
        expect((yield* store.getConfig(WS))?.name).toBe("My Jira")
        expect((yield* store.getCredential(WS, credential.id)).id).toBe(credential.id)
      }
      expect(counts()).toEqual([1, 1])
      yield* TestClock.adjust("5 seconds")
      yield* store.getConfig(WS)
      yield* store.getCredential(WS, credential.id)
      expect(counts()).toEqual([2, 2])
    })
  )

  it.effect("keeps neither a failure, nor 'not connected', nor a missing credential", () =>
    Effect.gen(function* () {
      const { spy, store, counts } = yield* setup
      spy.failNext("getConfig", new StoreUnavailable({ reason: "down" }))
      expect((yield* store.getConfig(WS).pipe(Effect.flip))._tag).toBe("StoreUnavailable")
      expect(yield* store.getConfig(WS)).not.toBeNull()
      const unconnected = WorkspaceId.make("ws-none")
      expect(yield* store.getConfig(unconnected)).toBeNull()
      expect(yield* store.getConfig(unconnected)).toBeNull()
      const missing = CredentialId.make("cred-none")
      expect((yield* store.getCredential(WS, missing).pipe(Effect.flip))._tag).toBe("NotFound")
      expect((yield* store.getCredential(WS, missing).pipe(Effect.flip))._tag).toBe("NotFound")
      expect(counts()).toEqual([4, 2])
    })
  )

  it.effect("a workspace's notice drops that workspace's entries only", () =>
    Effect.gen(function* () {
      const { feed, readBoth, counts } = yield* setup
      yield* readBoth
      expect(counts()).toEqual([2, 2])
      feed.publish(Change.session("s"))
      feed.publish(Change.account(USER))
      feed.publish(Change.tokens)
      yield* readBoth
      expect(counts()).toEqual([2, 2])
      feed.publish(Change.workspace(WS))
      yield* readBoth
      expect(counts()).toEqual([3, 3])
      feed.publish(Change.everything)
      yield* readBoth
      expect(counts()).toEqual([5, 5])
    })
  )

  it.effect("its own writes drop at once and tell the instance, even when they fail", () =>
    Effect.gen(function* () {
      const { spy, heard, store, config, credential } = yield* setup
      yield* store.getConfig(WS)
      const renamed = aConfig(credential, { id: config.id, name: "Renamed", version: 2 })
      yield* store.updateConfig(renamed, 1, anAudit(WS, USER, "JIRA_CONFIG_UPDATED"))
      expect((yield* store.getConfig(WS))?.name).toBe("Renamed")
      expect(spy.count("getConfig")).toBe(2)

      spy.failNext("recordHealth", new StoreUnavailable({ reason: "the connection to the database was lost" }))
      yield* store
        .recordHealth(WS, {
          checkedAt: new Date(0),
          ok: true,
          accountEmail: null,
          accountName: null,
          error: null,
          route: "site",
          cloudId: "cloud-1"
        })
        .pipe(Effect.flip)
      yield* store.deleteConfig(OTHER, null, anAudit(OTHER, USER, "JIRA_CONFIG_DELETED"))
      expect(heard).toEqual([Change.workspace(WS), Change.workspace(WS), Change.workspace(OTHER)])
    })
  )
})
