import { describe, expect, layer } from "@effect/vitest"
import { ConfigStore, UserId, type WorkspaceId } from "@sciple/jira-core"
import { anAudit, uniqueId } from "@sciple/jira-core/testing"
import { Effect, type Layer } from "effect"
import { AccountStore } from "../../src/identity/AccountStore.ts"
import { ApiToken, Membership, Session, User } from "../../src/identity/accounts.ts"
import { freshWorkspace } from "./fresh-workspace.ts"

const at = new Date("2026-01-02T03:04:05.678Z")

/** The workspace's audit actions, newest first, as the ConfigStore beside the AccountStore reads them. */
const auditActions = (workspaceId: WorkspaceId) =>
  ConfigStore.use((store) => store.listAudit(workspaceId, { limit: 50, before: null })).pipe(
    Effect.map((events) => events.map((e) => e.action).sort())
  )

/**
 * What every AccountStore must do. Its audited writes land in the audit log of the ConfigStore it is given
 * with (one table in the database; one array for the fakes).
 */
export const accountStoreContract = (name: string, makeLayer: () => Layer.Layer<AccountStore | ConfigStore, unknown>) =>
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
          const created = anAudit(workspaceId, userId, "API_TOKEN_CREATED")
          expect(yield* accounts.createApiTokenOnce(token, created)).toBe(true)
          // A repeated submit: refused, the first token's hash is kept, and no second audit event is written.
          expect(
            yield* accounts.createApiTokenOnce(
              new ApiToken({ ...token, tokenHash: uniqueId("hash") }),
              anAudit(workspaceId, userId, "API_TOKEN_CREATED")
            )
          ).toBe(false)
          expect(yield* auditActions(workspaceId)).toEqual(["API_TOKEN_CREATED"])
          const used = yield* accounts.useApiToken(token.tokenHash, new Date(at.getTime() + 5))
          expect(used?.token.id).toBe(token.id)
          expect(used?.token.lastUsedAt).toEqual(new Date(at.getTime() + 5))
          expect(used?.membership.workspaceId).toBe(workspaceId)
          expect((yield* accounts.listApiTokens(userId, workspaceId)).map((t) => t.id)).toEqual([token.id])
          const other = yield* freshWorkspace
          const revoke = () => anAudit(workspaceId, userId, "API_TOKEN_REVOKED")
          expect(
            (yield* accounts.revokeApiToken(other.userId, workspaceId, token.id, at, revoke()).pipe(Effect.flip))._tag
          ).toBe("NotFound")
          expect(yield* auditActions(workspaceId)).toEqual(["API_TOKEN_CREATED"])
          yield* accounts.revokeApiToken(userId, workspaceId, token.id, at, revoke())
          expect(yield* accounts.useApiToken(token.tokenHash, at)).toBeNull()
          expect((yield* accounts.listApiTokens(userId, workspaceId))[0]?.revokedAt).toEqual(at)
          // Revoking it again keeps the first revocation and audits nothing more.
          yield* accounts.revokeApiToken(userId, workspaceId, token.id, new Date(at.getTime() + 9), revoke())
          expect((yield* accounts.listApiTokens(userId, workspaceId))[0]?.revokedAt).toEqual(at)
          expect(yield* auditActions(workspaceId)).toEqual(["API_TOKEN_CREATED", "API_TOKEN_REVOKED"])
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
