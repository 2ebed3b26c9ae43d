import { describe, expect, it } from "@effect/vitest"
import { StoreUnavailable, UserId, WorkspaceId } from "@sciple/jira-core"
import { anAudit } from "@sciple/jira-core/testing"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { cachedAccountStore } from "../../src/caching/account-store.cached.ts"
import { Change, ChangeFeed } from "../../src/caching/change-feed.ts"
import { ApiToken, Membership, Session, User, Workspace } from "../../src/identity/index.ts"
import { makeInMemoryAccountStore } from "../support/account-store.in-memory.ts"
import { spyOn } from "../support/store-spy.ts"

const WS = WorkspaceId.make("ws-1")
const ADA = UserId.make("u-ada")
const BOB = UserId.make("u-bob")
const HASH = "session-hash"
const TOKEN_HASH = "token-hash"
// The TestClock starts at the epoch: sessions expire relative to it.
const at = (ms: number) => new Date(ms)

/** The in-memory store with two members and a session and token of Ada's, behind the cache. */
const setup = Effect.gen(function* () {
  const memory = makeInMemoryAccountStore().store
  yield* memory.createWorkspace(new Workspace({ id: WS, name: "One", createdAt: at(0) }))
  for (const id of [ADA, BOB]) {
    yield* memory.createUser(
      new User({ id, email: `${id}@one.test`, displayName: id, passwordHash: "scrypt$x$y", createdAt: at(0) })
    )
    yield* memory.putMembership(new Membership({ userId: id, workspaceId: WS, role: "admin" }))
  }
  yield* memory.createSession(
    new Session({ idHash: HASH, userId: ADA, workspaceId: WS, createdAt: at(0), expiresAt: at(3_600_000) })
  )
  yield* memory.createApiToken(
    new ApiToken({
      id: "tok-1",
      userId: ADA,
      workspaceId: WS,
      name: "CI",
      tokenHash: TOKEN_HASH,
      createdAt: at(0),
      lastUsedAt: null,
      revokedAt: null
    })
  )
  const spy = spyOn(memory)
  const feed = yield* ChangeFeed
  const heard: Array<Change> = []
  feed.subscribe((change) => heard.push(change))
  const cached = cachedAccountStore(spy.service, feed, {})
  feed.subscribe(cached.drop)
  return { memory, spy, feed, heard, accounts: cached.service }
}).pipe(Effect.provide(ChangeFeed.layerLocal))

describe("AccountStore cache", () => {
  it.effect("serves the sign-in check's reads from memory until the TTL passes", () =>
    Effect.gen(function* () {
      const { spy, accounts } = yield* setup
      for (let i = 0; i < 3; i++) {
        expect((yield* accounts.findSession(HASH))?.membership.role).toBe("admin")
        expect((yield* accounts.getUser(ADA))?.id).toBe(ADA)
        expect((yield* accounts.getWorkspace(WS))?.name).toBe("One")
      }
      expect([spy.count("findSession"), spy.count("getUser"), spy.count("getWorkspace")]).toEqual([1, 1, 1])
      yield* TestClock.adjust("4999 millis")
      yield* accounts.findSession(HASH)
      expect(spy.count("findSession")).toBe(1)
      yield* TestClock.adjust("1 millis")
      yield* accounts.findSession(HASH)
      yield* accounts.getUser(ADA)
      expect([spy.count("findSession"), spy.count("getUser")]).toEqual([2, 2])
    })
  )

  it.effect("never keeps a session past its expiry", () =>
    Effect.gen(function* () {
      const { memory, spy, accounts } = yield* setup
      yield* memory.createSession(
        new Session({ idHash: "short", userId: ADA, workspaceId: WS, createdAt: at(0), expiresAt: at(2_000) })
      )
      yield* accounts.findSession("short")
      yield* TestClock.adjust("1999 millis")
      yield* accounts.findSession("short")
      expect(spy.count("findSession")).toBe(1)
      yield* TestClock.adjust("1 millis")
      // Expired: the store's row comes back (the sign-in check refuses it), but it is not kept.
      expect((yield* accounts.findSession("short"))?.session.expiresAt).toEqual(at(2_000))
      yield* accounts.findSession("short")
      expect(spy.count("findSession")).toBe(3)
    })
  )

  it.effect("keeps neither a failure nor a 'not found'", () =>
    Effect.gen(function* () {
      const { spy, accounts } = yield* setup
      spy.failNext("findSession", new StoreUnavailable({ reason: "down" }))
      expect((yield* accounts.findSession(HASH).pipe(Effect.flip))._tag).toBe("StoreUnavailable")
      expect(yield* accounts.findSession(HASH)).not.toBeNull()
      expect(yield* accounts.findSession("unknown")).toBeNull()
      expect(yield* accounts.findSession("unknown")).toBeNull()
      expect(yield* accounts.getUser(UserId.make("nobody"))).toBeNull()
      expect(yield* accounts.getUser(UserId.make("nobody"))).toBeNull()
      expect(yield* accounts.useApiToken("no-such-token", at(0))).toBeNull()
      expect(yield* accounts.useApiToken("no-such-token", at(0))).toBeNull()
      expect([spy.count("findSession"), spy.count("getUser"), spy.count("useApiToken")]).toEqual([4, 2, 2])
    })
  )

  it.effect("drops what a change notice names, and only that", () =>
    Effect.gen(function* () {
      const { spy, feed, accounts } = yield* setup
      const readAll = Effect.all([
        accounts.findSession(HASH),
        accounts.getUser(ADA),
        accounts.getUser(BOB),
        accounts.getWorkspace(WS),
        accounts.useApiToken(TOKEN_HASH, at(0))
      ])
      const counts = () => [
        spy.count("findSession"),
        spy.count("getUser"),
        spy.count("getWorkspace"),
        spy.count("useApiToken")
      ]
      yield* readAll
      expect(counts()).toEqual([1, 2, 1, 1])
      feed.publish(Change.session("another-session"))
      feed.publish(Change.workspace("ws-other"))
      feed.publish(Change.account(BOB))
      yield* readAll
      expect(counts()).toEqual([1, 3, 1, 1])
      feed.publish(Change.session(HASH))
      yield* readAll
      expect(counts()).toEqual([2, 3, 1, 1])
      feed.publish(Change.workspace(WS))
      yield* readAll
      expect(counts()).toEqual([2, 3, 2, 1])
      feed.publish(Change.tokens)
      yield* readAll
      expect(counts()).toEqual([2, 3, 2, 2])
      // A role change: Ada's session, token and user go.
      feed.publish(Change.account(ADA))
      yield* readAll
      expect(counts()).toEqual([3, 4, 2, 3])
      feed.publish(Change.sessions)
      yield* readAll
      expect(counts()).toEqual([4, 4, 2, 3])
      feed.publish(Change.everything)
      yield* readAll
      expect(counts()).toEqual([5, 6, 3, 4])
    })
  )

  it.effect("its own writes drop at once and tell the instance's other caches", () =>
    Effect.gen(function* () {
      const { spy, heard, accounts } = yield* setup
      yield* accounts.findSession(HASH)
      yield* accounts.deleteSession(HASH)
      expect(yield* accounts.findSession(HASH)).toBeNull()
      expect(spy.count("findSession")).toBe(2)

      expect(yield* accounts.useApiToken(TOKEN_HASH, at(0))).not.toBeNull()
      yield* accounts.revokeApiToken(ADA, WS, "tok-1", at(0), anAudit(WS, ADA, "API_TOKEN_REVOKED"))
      expect(yield* accounts.useApiToken(TOKEN_HASH, at(0))).toBeNull()

      yield* accounts.putMembership(new Membership({ userId: BOB, workspaceId: WS, role: "viewer" }))
      yield* accounts.deleteExpiredSessions(at(0))
      expect(heard).toEqual([Change.session(HASH), Change.tokens, Change.account(BOB), Change.sessions])
    })
  )

  it.effect("records a token's use at most once per TTL", () =>
    Effect.gen(function* () {
      const { memory, spy, accounts } = yield* setup
      yield* accounts.useApiToken(TOKEN_HASH, at(0))
      yield* TestClock.adjust("2 seconds")
      yield* accounts.useApiToken(TOKEN_HASH, at(2_000))
      expect(spy.count("useApiToken")).toBe(1)
      expect((yield* memory.listApiTokens(ADA, WS))[0]?.lastUsedAt).toEqual(at(0))
      yield* TestClock.adjust("3 seconds")
      yield* accounts.useApiToken(TOKEN_HASH, at(5_000))
      expect((yield* memory.listApiTokens(ADA, WS))[0]?.lastUsedAt).toEqual(at(5_000))
    })
  )

  it.effect("does not keep a read that a notice overtook", () =>
    Effect.gen(function* () {
      const { memory, feed } = yield* setup
      // A slow store: the read starts, the session is deleted elsewhere and the notice arrives, then the read ends.
      const slow = {
        ...memory,
        findSession: (idHash: string) => memory.findSession(idHash).pipe(Effect.tap(() => Effect.sleep("1 second")))
      }
      const spy = spyOn(slow)
      const racing = cachedAccountStore(spy.service, feed, {})
      feed.subscribe(racing.drop)
      const read = yield* Effect.forkChild(racing.service.findSession(HASH))
      yield* TestClock.adjust("500 millis")
      yield* memory.deleteSession(HASH)
      feed.publish(Change.session(HASH))
      yield* TestClock.adjust("500 millis")
      expect(yield* Fiber.join(read)).not.toBeNull()
      const again = yield* Effect.forkChild(racing.service.findSession(HASH))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(again)).toBeNull()
      expect(spy.count("findSession")).toBe(2)
    })
  )
})
