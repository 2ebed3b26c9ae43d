import type { AuditEvent, InvalidInput, NotFound, StoreUnavailable, UserId, WorkspaceId } from "@sciple/jira-core"
import { Context, type Effect } from "effect"
import type { ApiToken, Membership, Session, User, Workspace } from "./accounts.ts"

/**
 * The platform's identity records that the dashboard signs people in with: workspaces, users,
 * memberships (a role per workspace), sessions and API tokens. Sessions and tokens are looked up by hash.
 */
export class AccountStore extends Context.Service<
  AccountStore,
  {
    createWorkspace(workspace: Workspace): Effect.Effect<void, StoreUnavailable>
    getWorkspace(id: WorkspaceId): Effect.Effect<Workspace | null, StoreUnavailable>

    countUsers: Effect.Effect<number, StoreUnavailable>
    /** Fails with InvalidInput (field `email`) when the email is taken; emails compare case-insensitively. */
    createUser(user: User): Effect.Effect<void, InvalidInput | StoreUnavailable>
    findUserByEmail(email: string): Effect.Effect<User | null, StoreUnavailable>
    getUser(id: UserId): Effect.Effect<User | null, StoreUnavailable>

    putMembership(membership: Membership): Effect.Effect<void, StoreUnavailable>
    listMemberships(userId: UserId): Effect.Effect<ReadonlyArray<Membership>, StoreUnavailable>

    createSession(session: Session): Effect.Effect<void, StoreUnavailable>
    /** The session with its member's current role, if the session exists and the membership still does. */
    findSession(
      idHash: string
    ): Effect.Effect<{ readonly session: Session; readonly membership: Membership } | null, StoreUnavailable>
    deleteSession(idHash: string): Effect.Effect<void, StoreUnavailable>
    deleteExpiredSessions(now: Date): Effect.Effect<number, StoreUnavailable>

    /** Puts the token as given, unaudited: for seeding and tests; people create theirs with `createApiTokenOnce`. */
    createApiToken(token: ApiToken): Effect.Effect<void, StoreUnavailable>
    /**
     * Inserts the token unless one of that id exists in the workspace (never replacing it): false then. The audit
     * event (in the workspace's audit log, core's) is written with the token, in the same transaction, or not at all.
     */
    createApiTokenOnce(token: ApiToken, audit: AuditEvent): Effect.Effect<boolean, StoreUnavailable>
    /** The token and its owner's membership, if it exists and is not revoked; records its use. */
    useApiToken(
      tokenHash: string,
      now: Date
    ): Effect.Effect<{ readonly token: ApiToken; readonly membership: Membership } | null, StoreUnavailable>
    listApiTokens(userId: UserId, workspaceId: WorkspaceId): Effect.Effect<ReadonlyArray<ApiToken>, StoreUnavailable>
    /**
     * Revokes the person's token, NotFound when it is not theirs. The audit event is written in the same
     * transaction when this call revoked a live token; revoking it again writes nothing.
     */
    revokeApiToken(
      userId: UserId,
      workspaceId: WorkspaceId,
      id: string,
      now: Date,
      audit: AuditEvent
    ): Effect.Effect<void, NotFound | StoreUnavailable>
  }
>()("@sciple/dashboard/AccountStore") {}
