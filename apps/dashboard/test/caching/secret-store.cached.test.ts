import { describe, expect, it } from "@effect/vitest"
import { CredentialId, SecretStoreError, WorkspaceId } from "@sciple/jira-core"
import { makeInMemorySecretStore } from "@sciple/jira-core/testing"
import { Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { Change } from "../../src/caching/change-feed.ts"
import { cachedSecretStore } from "../../src/caching/secret-store.cached.ts"
import { spyOn } from "../support/store-spy.ts"

const owner = (n: number) => ({
  workspaceId: WorkspaceId.make(`ws-${n}`),
  credentialId: CredentialId.make(`cred-${n}`)
})

const setup = Effect.gen(function* () {
  const memory = makeInMemorySecretStore()
  const first = yield* memory.store.put(owner(1), Redacted.make("token-one"))
  const second = yield* memory.store.put(owner(2), Redacted.make("token-two"))
  const spy = spyOn(memory.store)
  const cached = cachedSecretStore(spy.service, {})
  return { spy, cached, secrets: cached.service, first, second }
})

describe("SecretStore cache", () => {
  it.effect("serves a secret from memory, still Redacted, until the TTL passes", () =>
    Effect.gen(function* () {
      const { spy, secrets, first } = yield* setup
      const value = yield* secrets.get(first)
      const again = yield* secrets.get(first)
      expect(Redacted.isRedacted(again)).toBe(true)
      expect(String(again)).not.toContain("token-one")
      expect(Redacted.value(again)).toBe(Redacted.value(value))
      expect(spy.count("get")).toBe(1)
      yield* TestClock.adjust("5 seconds")
      yield* secrets.get(first)
      expect(spy.count("get")).toBe(2)
    })
  )

  it.effect("drops a secret at once when this instance rotates or deletes it", () =>
    Effect.gen(function* () {
      const { spy, secrets, first, second } = yield* setup
      yield* secrets.get(first)
      yield* secrets.get(second)
      yield* secrets.rotate(first, Redacted.make("token-one-b"))
      expect(Redacted.value(yield* secrets.get(first))).toBe("token-one-b")
      yield* secrets.get(second)
      expect(spy.count("get")).toBe(3)
      yield* secrets.delete(first)
      expect((yield* secrets.get(first).pipe(Effect.flip))._tag).toBe("SecretNotFound")
      // A put drops the entry of the ref it writes (refFor names it first), and only that one.
      yield* secrets.put(owner(3), Redacted.make("token-three"))
      yield* secrets.get(second)
      expect(spy.count("get")).toBe(4)
      expect(yield* secrets.put(owner(2), Redacted.make("token-two-b"))).toBe(second)
      expect(Redacted.value(yield* secrets.get(second))).toBe("token-two-b")
      expect(spy.count("get")).toBe(5)
    })
  )

  it.effect("drops every secret on any workspace's notice (a rotation elsewhere), not on others", () =>
    Effect.gen(function* () {
      const { spy, cached, secrets, first } = yield* setup
      yield* secrets.get(first)
      cached.drop(Change.session("s"))
      cached.drop(Change.tokens)
      yield* secrets.get(first)
      expect(spy.count("get")).toBe(1)
      cached.drop(Change.workspace("ws-9"))
      yield* secrets.get(first)
      cached.drop(Change.everything)
      yield* secrets.get(first)
      expect(spy.count("get")).toBe(3)
    })
  )

  it.effect("keeps no failure", () =>
    Effect.gen(function* () {
      const { spy, secrets, first } = yield* setup
      spy.failNext("get", new SecretStoreError({ reason: "throttled", detail: "slow down" }))
      expect((yield* secrets.get(first).pipe(Effect.flip))._tag).toBe("SecretStoreError")
      expect(Redacted.value(yield* secrets.get(first))).toBe("token-one")
      yield* secrets.get(first)
      expect(spy.count("get")).toBe(2)
    })
  )
})
