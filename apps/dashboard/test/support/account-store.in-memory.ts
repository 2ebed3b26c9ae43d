import { type AuditEvent, InvalidInput, NotFound } from "@sciple/jira-core"
import { Effect, Layer } from "effect"
import { AccountStore } from "../../src/identity/AccountStore.ts"
import { ApiToken, type Membership, type Session, type User, type Workspace } from "../../src/identity/accounts.ts"

/**
 * The AccountStore fake. Its audited writes append to `audit`: pass the in-memory ConfigStore's audit array
 * (`aTestWorld().config.state.audit`) so the audit log reads them, as the database's one table does.
 */
export const makeInMemoryAccountStore = (audit: Array<AuditEvent> = []) => {
  const workspaces = new Map<string, Workspace>()
  const users = new Map<string, User>()
  const memberships = new Map<string, Membership>()
  const sessions = new Map<string, Session>()
  const tokens = new Map<string, ApiToken>()
  const membershipOf = (userId: string, workspaceId: string) => memberships.get(`${userId}/${workspaceId}`) ?? null

  const store = AccountStore.of({
    createWorkspace: (workspace) => Effect.sync(() => void workspaces.set(workspace.id, workspace)),
    getWorkspace: (id) => Effect.sync(() => workspaces.get(id) ?? null),
    countUsers: Effect.sync(() => users.size),
    createUser: (user) =>
      Effect.suspend(() => {
        const taken = [...users.values()].some((u) => u.email.toLowerCase() === user.email.toLowerCase())
        if (taken) return Effect.fail(InvalidInput.one("email", "A user with this email already exists."))
        users.set(user.id, user)
        return Effect.void
      }),
    findUserByEmail: (email) =>
      Effect.sync(() => [...users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null),
    getUser: (id) => Effect.sync(() => users.get(id) ?? null),
    putMembership: (membership) =>
      Effect.sync(() => void memberships.set(`${membership.userId}/${membership.workspaceId}`, membership)),
    listMemberships: (userId) => Effect.sync(() => [...memberships.values()].filter((m) => m.userId === userId)),
    createSession: (session) => Effect.sync(() => void sessions.set(session.idHash, session)),
    findSession: (idHash) =>
      Effect.sync(() => {
        const session = sessions.get(idHash)
        const membership = session === undefined ? null : membershipOf(session.userId, session.workspaceId)
        return session === undefined || membership === null ? null : { session, membership }
      }),
    deleteSession: (idHash) => Effect.sync(() => void sessions.delete(idHash)),
    deleteExpiredSessions: (now) =>
      Effect.sync(() => {
        let removed = 0
        for (const [key, session] of sessions) {
          if (session.expiresAt.getTime() <= now.getTime()) {
            sessions.delete(key)
            removed++
          }
        }
        return removed
      }),
    createApiToken: (token) => Effect.sync(() => void tokens.set(token.id, token)),
    createApiTokenOnce: (token, event) =>
      Effect.sync(() => {
        const existing = tokens.get(token.id)
        if (existing !== undefined && existing.workspaceId === token.workspaceId) return false
        tokens.set(token.id, token)
        audit.push(event)
        return true
      }),
    useApiToken: (tokenHash, now) =>
      Effect.sync(() => {
        const token = [...tokens.values()].find((t) => t.tokenHash === tokenHash && t.revokedAt === null)
        const membership = token === undefined ? null : membershipOf(token.userId, token.workspaceId)
        if (token === undefined || membership === null) return null
        const used = new ApiToken({ ...token, lastUsedAt: now })
        tokens.set(token.id, used)
        return { token: used, membership }
      }),
    listApiTokens: (userId, workspaceId) =>
      Effect.sync(() =>
        [...tokens.values()]
          .filter((t) => t.userId === userId && t.workspaceId === workspaceId)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      ),
    revokeApiToken: (userId, workspaceId, id, now, event) =>
      Effect.suspend(() => {
        const token = tokens.get(id)
        if (token === undefined || token.userId !== userId || token.workspaceId !== workspaceId) {
          return Effect.fail(new NotFound({ entity: "api_token", id }))
        }
        if (token.revokedAt !== null) return Effect.void
        tokens.set(id, new ApiToken({ ...token, revokedAt: now }))
        audit.push(event)
        return Effect.void
      })
  })
  return { store, audit, layer: Layer.succeed(AccountStore, store) }
}
