import { Effect, Layer } from "effect"
import {
  AccountStore,
  type ApiToken,
  type Membership,
  type Session,
  type User,
  type Workspace
} from "../identity/index.ts"
import { Change, ChangeFeed, type ChangeFeedShape, publishAfter, subscribeScoped } from "./change-feed.ts"
import { CACHE_TTL_MS, isPresent, readThrough, TtlCache } from "./ttl-cache.ts"

export interface StoreCacheOptions {
  /** How long an entry is served (default CACHE_TTL_MS). */
  readonly ttlMs?: number
  /** Entries kept at most per kind of record (default 10,000). */
  readonly maxEntries?: number
}

type FoundSession = { readonly session: Session; readonly membership: Membership }
type FoundToken = { readonly token: ApiToken; readonly membership: Membership }

/**
 * The sign-in check's reads from memory: sessions, tokens, users and workspaces, for a short TTL, dropped by
 * change notices (sign-out, revocation and role changes on any instance) and at once by this instance's own
 * writes. Never kept: a failure, a "not found", a session past its expiry (an entry never outlives it).
 * @internal exported for its tests
 */
export const cachedAccountStore = (
  store: AccountStore["Service"],
  feed: ChangeFeedShape,
  options: StoreCacheOptions
) => {
  const settings = { ttlMs: options.ttlMs ?? CACHE_TTL_MS, maxEntries: options.maxEntries ?? 10_000 }
  const sessions = new TtlCache<FoundSession>(settings)
  const tokens = new TtlCache<FoundToken>(settings)
  const users = new TtlCache<User>(settings)
  const workspaces = new TtlCache<Workspace>(settings)

  const drop = (change: Change) => {
    switch (change._tag) {
      case "Session":
        return sessions.delete(change.idHash)
      case "Sessions":
        return sessions.clear()
      case "Tokens":
        return tokens.clear()
      case "Account":
        sessions.deleteWhere((found) => found.session.userId === change.userId)
        tokens.deleteWhere((found) => found.token.userId === change.userId)
        return users.delete(change.userId)
      case "Workspace":
        return workspaces.delete(change.workspaceId)
      case "Everything":
        for (const cache of [sessions, tokens, users, workspaces]) cache.clear()
    }
  }

  const telling = (change: Change) => publishAfter(feed, change)

  const service = AccountStore.of({
    ...store,
    createWorkspace: (workspace) => store.createWorkspace(workspace).pipe(telling(Change.workspace(workspace.id))),
    getWorkspace: (id) => readThrough(workspaces, id, () => store.getWorkspace(id), isPresent),
    getUser: (id) => readThrough(users, id, () => store.getUser(id), isPresent),
    putMembership: (membership) => store.putMembership(membership).pipe(telling(Change.account(membership.userId))),
    createSession: (session) => store.createSession(session).pipe(telling(Change.session(session.idHash))),
    findSession: (idHash) =>
      readThrough(
        sessions,
        idHash,
        () => store.findSession(idHash),
        isPresent,
        (found) => found.session.expiresAt.getTime()
      ),
    deleteSession: (idHash) => store.deleteSession(idHash).pipe(telling(Change.session(idHash))),
    deleteExpiredSessions: (now) => store.deleteExpiredSessions(now).pipe(telling(Change.sessions)),
    createApiToken: (token) => store.createApiToken(token).pipe(telling(Change.tokens)),
    createApiTokenOnce: (token, audit) => store.createApiTokenOnce(token, audit).pipe(telling(Change.tokens)),
    // A hit skips the store, and with it the write of `lastUsedAt`: a token's last use is recorded at most
    // once per TTL per instance, so "last used" can be up to that much behind.
    useApiToken: (tokenHash, now) => readThrough(tokens, tokenHash, () => store.useApiToken(tokenHash, now), isPresent),
    revokeApiToken: (userId, workspaceId, id, now, audit) =>
      store.revokeApiToken(userId, workspaceId, id, now, audit).pipe(telling(Change.tokens))
  })
  return {
    service,
    drop,
    sizes: () => ({ sessions: sessions.size, tokens: tokens.size, users: users.size, workspaces: workspaces.size })
  }
}

/** Decorates the AccountStore below it; needs the ChangeFeed. */
export const layer = (options: StoreCacheOptions = {}): Layer.Layer<AccountStore, never, AccountStore | ChangeFeed> =>
  Layer.effect(
    AccountStore,
    Effect.gen(function* () {
      const feed = yield* ChangeFeed
      const cached = cachedAccountStore(yield* AccountStore, feed, options)
      yield* subscribeScoped(feed, cached.drop)
      return cached.service
    })
  )
