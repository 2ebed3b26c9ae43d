import { describe, expect, layer } from "@effect/vitest"
import { UserId } from "@sciple/jira-core"
import { uniqueId } from "@sciple/jira-core/testing"
import { Effect, type Layer } from "effect"
import { AccountStore } from "../../src/identity/AccountStore.ts"
import { ApiToken, Membership, Session, User } from "../../src/identity/accounts.ts"
import { freshWorkspace } from "./fresh-workspace.ts"

const at = new Date("2026-01-02T03:04:05.678Z")

/** What every AccountStore must do. */
export const accountStoreContract = (name: string, makeLayer: () => Layer.Layer<AccountStore, unknown>) =>
  describe(`AccountStore contract: ${name}`, () => {
    layer(makeLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
      it.effect("finds users by email, case-insensitively, and refuses a taken email", () =>
        Effect.gen(function* () {
          const accounts = yield* AccountStore
          const id = UserId.make(uniqueId("user"))
          const email = `${id}@Example.test`
          const user = new User({ id, email, displayName: "Lin", passwordHash: "scrypt$a$b", createdAt: at })
          yield* accounts.createUser(user)
          expect(yield* accounts.findUserByEmail(email.toUpperCase())).toEqual(user)
          expect(yield* accounts.getUser(id)).toEqual(user)
          expect(yield* accounts.countUsers).toBeGreaterThanOrEqual(1)
          const taken = yield* accounts
            .createUser(new User({ ...user, id: UserId.make(uniqueId("user")), email: email.toLowerCase() }))
            .pipe(Effect.flip)
          expect(taken._tag).toBe("InvalidInput")
          expect(yield* accounts.findUserByEmail("nobody@example.test")).toBeNull()
        })
      )

      it.effect("keeps a session with its membership, and forgets it on delete or expiry", () =>
        Effect.gen(function* () {
          const accounts = yield* AccountStore
          const { workspaceId, userId } = yield* freshWorkspace
          const session = new Session({
            idHash: uniqueId("sess"),
            userId,
            workspaceId,
            createdAt: at,
            expiresAt: new Date(at.getTime() + 60_000)
          })
          yield* accounts.createSession(session)
          const found = yield* accounts.findSession(session.idHash)
          expect(found?.session).toEqual(session)
          expect(found?.membership.role).toBe("admin")
          yield* accounts.putMembership(new Membership({ userId, workspaceId, role: "viewer" }))
          expect((yield* accounts.findSession(session.idHash))?.membership.role).toBe("viewer")
          yield* accounts.deleteSession(session.idHash)
          expect(yield* accounts.findSession(session.idHash)).toBeNull()
          const old = new Session({ ...session, idHash: uniqueId("sess"), expiresAt: new Date(at.getTime() - 1) })
          yield* accounts.createSession(old)
          expect(yield* accounts.deleteExpiredSessions(at)).toBeGreaterThanOrEqual(1)
          expect(yield* accounts.findSession(old.idHash)).toBeNull()
        })
      )

      it.effect("uses, lists and revokes API tokens by hash", () =>
        Effect.gen(function* () {
          const accounts = yield* AccountStore
          const { workspaceId, userId } = yield* freshWorkspace
          const token = new ApiToken({
            id: uniqueId("tok"),
            userId,
            workspaceId,
            name: "CI",
            tokenHash: uniqueId("hash"),
            createdAt: at,
            lastUsedAt: null,
            revokedAt: null
          })
          expect(yield* accounts.createApiTokenOnce(token)).toBe(true)
          // A repeated submit: refused, and the first token's hash is kept.
          expect(yield* accounts.createApiTokenOnce(new ApiToken({ ...token, tokenHash: uniqueId("hash") }))).toBe(
            false
          )
          const used = yield* accounts.useApiToken(token.tokenHash, new Date(at.getTime() + 5))
          expect(used?.token.id).toBe(token.id)
          expect(used?.token.lastUsedAt).toEqual(new Date(at.getTime() + 5))
          expect(used?.membership.workspaceId).toBe(workspaceId)
          expect((yield* accounts.listApiTokens(userId, workspaceId)).map((t) => t.id)).toEqual([token.id])
          const other = yield* freshWorkspace
          expect((yield* accounts.revokeApiToken(other.userId, workspaceId, token.id, at).pipe(Effect.flip))._tag).toBe(
            "NotFound"
          )
          yield* accounts.revokeApiToken(userId, workspaceId, token.id, at)
          expect(yield* accounts.useApiToken(token.tokenHash, at)).toBeNull()
          expect((yield* accounts.listApiTokens(userId, workspaceId))[0]?.revokedAt).toEqual(at)
        })
      )

      it.effect("lists a user's memberships and reads workspaces", () =>
        Effect.gen(function* () {
          const accounts = yield* AccountStore
          const { workspaceId, userId } = yield* freshWorkspace
          expect(yield* accounts.listMemberships(userId)).toEqual([
            new Membership({ userId, workspaceId, role: "admin" })
          ])
          expect((yield* accounts.getWorkspace(workspaceId))?.id).toBe(workspaceId)
        })
      )
    })
  })
