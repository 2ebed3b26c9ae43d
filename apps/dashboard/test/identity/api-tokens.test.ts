import { describe, expect, it } from "@effect/vitest"
import { asManager } from "@sciple/jira-core"
import { anAdmin, aViewer } from "@sciple/jira-core/testing"
import { Effect } from "effect"
import { createApiToken, listApiTokens, revokeApiToken } from "../../src/identity/api-tokens.ts"
import { makeInMemoryAccountStore } from "../support/account-store.in-memory.ts"

const now = new Date("2026-12-01T10:00:00.000Z")
const aToken = (name: string) => ({ id: `tok-${name}`, name, tokenHash: `hash-${name}`, now, expiresAt: null })

describe("API token use cases", () => {
  it.effect("create, list and revoke act for the manager's own user and workspace", () =>
    Effect.gen(function* () {
      const admin = anAdmin()
      const other = anAdmin(2)
      yield* createApiToken(aToken(" CI ")).pipe(asManager(admin))
      yield* createApiToken(aToken("other")).pipe(asManager(other))
      const listed = yield* listApiTokens().pipe(asManager(admin))
      expect(listed.map((t) => [t.name, t.userId, t.workspaceId])).toEqual([["CI", admin.userId, admin.workspaceId]])
      expect((yield* revokeApiToken("tok-other", now).pipe(asManager(admin), Effect.flip))._tag).toBe("NotFound")
      yield* revokeApiToken("tok- CI ", now).pipe(asManager(admin))
      expect((yield* listApiTokens().pipe(asManager(admin)))[0]?.revokedAt).toEqual(now)
    }).pipe(Effect.provide(makeInMemoryAccountStore().layer))
  )

  it.effect("refuse a viewer and a blank name, storing nothing", () =>
    Effect.gen(function* () {
      const denied = yield* createApiToken(aToken("x")).pipe(asManager(aViewer()), Effect.flip)
      expect(denied._tag).toBe("NotPermitted")
      const blank = yield* createApiToken(aToken("  ")).pipe(asManager(anAdmin()), Effect.flip)
      expect(blank).toMatchObject({ _tag: "InvalidInput", fields: [{ field: "name" }] })
      expect(yield* listApiTokens().pipe(asManager(anAdmin()))).toEqual([])
    }).pipe(Effect.provide(makeInMemoryAccountStore().layer))
  )
})
