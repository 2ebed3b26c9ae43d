import { describe, expect, it } from "@effect/vitest"
import { asViewer, Ids } from "@sciple/jira-core"
import { anAdmin, aViewer, makeInMemoryConfigStore } from "@sciple/jira-core/testing"
import { Effect, Layer } from "effect"
import { createApiTokenOnce, listApiTokens, revokeApiToken } from "../../src/identity/api-tokens.ts"
import { makeInMemoryAccountStore } from "../support/account-store.in-memory.ts"

const now = new Date("2026-12-01T10:00:00.000Z")
const later = new Date("2027-03-01T10:00:00.000Z")
const aToken = (name: string, expiresAt: Date | null = null) => ({
  id: `tok-${name}`,
  name,
  tokenHash: `hash-${name}`,
  now,
  expiresAt
})

const world = () => {
  const config = makeInMemoryConfigStore()
  const accounts = makeInMemoryAccountStore(config.state.audit)
  let n = 0
  const ids = Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => `audit-${++n}`) }))
  return { audit: config.state.audit, layer: Layer.mergeAll(accounts.layer, config.layer, ids) }
}

describe("API token use cases", () => {
  it.effect("create, list and revoke act for the person's own user and workspace", () => {
    const w = world()
    return Effect.gen(function* () {
      const admin = anAdmin()
      const other = anAdmin(2)
      yield* createApiTokenOnce(aToken(" CI ")).pipe(asViewer(admin))
      yield* createApiTokenOnce(aToken("other")).pipe(asViewer(other))
      const listed = yield* listApiTokens().pipe(asViewer(admin))
      expect(listed.map((t) => [t.name, t.userId, t.workspaceId])).toEqual([["CI", admin.userId, admin.workspaceId]])
      expect((yield* revokeApiToken("tok-other", now).pipe(asViewer(admin), Effect.flip))._tag).toBe("NotFound")
      yield* revokeApiToken("tok- CI ", now).pipe(asViewer(admin))
      expect((yield* listApiTokens().pipe(asViewer(admin)))[0]?.revokedAt).toEqual(now)
    }).pipe(Effect.provide(w.layer))
  })

  it.effect("are every signed-in person's: a viewer creates and revokes their own", () => {
    const w = world()
    return Effect.gen(function* () {
      const viewer = aViewer()
      expect(yield* createApiTokenOnce(aToken("mine")).pipe(asViewer(viewer))).not.toBeNull()
      yield* revokeApiToken("tok-mine", now).pipe(asViewer(viewer))
      expect((yield* listApiTokens().pipe(asViewer(viewer))).map((t) => [t.userId, t.revokedAt])).toEqual([
        [viewer.userId, now]
      ])
    }).pipe(Effect.provide(w.layer))
  })

  it.effect("audit a create and a revoke with the token's name and expiry, never its hash, once each", () => {
    const w = world()
    return Effect.gen(function* () {
      const admin = anAdmin()
      yield* createApiTokenOnce(aToken("CI", later)).pipe(asViewer(admin))
      // The same form submitted twice: one token, one event.
      expect(yield* createApiTokenOnce(aToken("CI", later)).pipe(asViewer(admin))).toBeNull()
      yield* revokeApiToken("tok-CI", now).pipe(asViewer(admin))
      yield* revokeApiToken("tok-CI", later).pipe(asViewer(admin))
      expect(w.audit.map((e) => [e.action, e.actorId, e.workspaceId, e.credentialId, e.changes])).toEqual([
        [
          "API_TOKEN_CREATED",
          admin.userId,
          admin.workspaceId,
          null,
          [
            { field: "name", from: null, to: "CI" },
            { field: "expiresAt", from: null, to: later.toISOString() }
          ]
        ],
        [
          "API_TOKEN_REVOKED",
          admin.userId,
          admin.workspaceId,
          null,
          [
            { field: "name", from: "CI", to: null },
            { field: "expiresAt", from: later.toISOString(), to: null }
          ]
        ]
      ])
      expect(JSON.stringify(w.audit)).not.toContain("hash-CI")
    }).pipe(Effect.provide(w.layer))
  })

  it.effect("refuse a blank name, storing and auditing nothing", () => {
    const w = world()
    return Effect.gen(function* () {
      const blank = yield* createApiTokenOnce(aToken("  ")).pipe(asViewer(anAdmin()), Effect.flip)
      expect(blank).toMatchObject({ _tag: "InvalidInput", fields: [{ field: "name" }] })
      expect(yield* listApiTokens().pipe(asViewer(anAdmin()))).toEqual([])
      expect(w.audit).toEqual([])
    }).pipe(Effect.provide(w.layer))
  })
})
