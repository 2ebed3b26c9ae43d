import {
  Change,
  type Db,
  DrizzleDatabase,
  decodeRow,
  insertAuditEvent,
  invalidInputOrUnavailable,
  notifyChange,
  schema,
  storeUnavailable
} from "@sciple/drizzle-postgres"
import { InvalidInput, NotFound } from "@sciple/jira-core"
import { and, asc, count, desc, eq, isNull, lte, sql } from "drizzle-orm"
import { Effect, Layer } from "effect"
import { AccountStore } from "./AccountStore.ts"
import { ApiToken, Membership, Session, User, Workspace } from "./accounts.ts"

// The tables stay in @sciple/drizzle-postgres with the one migration history (adr/0018).
const { apiTokens, memberships, sessions, users, workspaces } = schema

const decodeWorkspace = decodeRow(Workspace, "workspace")
const decodeUser = decodeRow(User, "user")
const decodeMembership = decodeRow(Membership, "membership")
const decodeSession = decodeRow(Session, "session")
const decodeApiToken = decodeRow(ApiToken, "API token")

const orNull = <A, B, E>(row: A | undefined, decode: (row: A) => Effect.Effect<B, E>) =>
  row === undefined ? Effect.succeed(null) : decode(row)

const EMAIL_TAKEN = "A user with this email already exists."

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  workspaceId: apiTokens.workspaceId,
  name: apiTokens.name,
  tokenHash: apiTokens.tokenHash,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  expiresAt: apiTokens.expiresAt
}

/** AccountStore on PostgreSQL or PGlite. Writes that the fake treats as "put" are upserts here. */
const makeAccountStoreDrizzle = Effect.gen(function* () {
  const database = yield* DrizzleDatabase
  const query = <A>(body: (db: Db) => Promise<A>) => database.run(body).pipe(Effect.mapError(storeUnavailable))
  /** A write that changes what requests see: it and its change notice commit together. */
  const write = <A>(body: (db: Db) => Promise<A>, change: (result: A) => Change | null) =>
    database
      .transaction<A, never>(async (tx) => {
        const result = await body(tx)
        const notice = change(result)
        if (notice !== null) await notifyChange(tx, notice)
        return result
      })
      .pipe(Effect.mapError(storeUnavailable))

  const membershipOf = (row: { readonly userId: string; readonly workspaceId: string; readonly role: string }) =>
    decodeMembership({ userId: row.userId, workspaceId: row.workspaceId, role: row.role })

  return AccountStore.of({
    createWorkspace: (workspace) =>
      write(
        (db) =>
          db
            .insert(workspaces)
            .values({ ...workspace })
            .onConflictDoUpdate({ target: workspaces.id, set: { name: workspace.name } }),
        () => Change.workspace(workspace.id)
      ).pipe(Effect.asVoid),

    getWorkspace: (id) =>
      query((db) => db.select().from(workspaces).where(eq(workspaces.id, id))).pipe(
        Effect.flatMap(([row]) => orNull(row, (r) => decodeWorkspace({ ...r })))
      ),

    countUsers: query((db) => db.select({ n: count() }).from(users)).pipe(Effect.map(([row]) => row?.n ?? 0)),

    createUser: (user) =>
      database
        .run((db) => db.insert(users).values({ ...user }))
        .pipe(
          Effect.asVoid,
          Effect.mapError((failure) => {
            if (failure.kind === "unique" && failure.constraint === "users_email_unique")
              return InvalidInput.one("email", EMAIL_TAKEN)
            if (failure.kind === "unique" && failure.constraint === "users_pkey")
              return InvalidInput.one("id", "A user with this id already exists.")
            return invalidInputOrUnavailable(failure)
          })
        ),

    findUserByEmail: (email) =>
      query((db) => db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`)).pipe(
        Effect.flatMap(([row]) => orNull(row, (r) => decodeUser({ ...r })))
      ),

    getUser: (id) =>
      query((db) => db.select().from(users).where(eq(users.id, id))).pipe(
        Effect.flatMap(([row]) => orNull(row, (r) => decodeUser({ ...r })))
      ),

    putMembership: (membership) =>
      write(
        (db) =>
          db
            .insert(memberships)
            .values({ ...membership })
            .onConflictDoUpdate({
              target: [memberships.userId, memberships.workspaceId],
              set: { role: membership.role }
            }),
        () => Change.account(membership.userId)
      ).pipe(Effect.asVoid),

    listMemberships: (userId) =>
      query((db) =>
        db.select().from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.workspaceId))
      ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, membershipOf))),

    createSession: (session) =>
      // An upsert: it may replace a session some instance holds.
      write(
        (db) =>
          db
            .insert(sessions)
            .values({ ...session })
            .onConflictDoUpdate({
              target: sessions.idHash,
              set: {
                userId: session.userId,
                workspaceId: session.workspaceId,
                createdAt: session.createdAt,
                expiresAt: session.expiresAt
              }
            }),
        () => Change.session(session.idHash)
      ).pipe(Effect.asVoid),

    findSession: (idHash) =>
      query((db) =>
        db
          .select({ session: sessions, role: memberships.role })
          .from(sessions)
          // Inner join: a session whose membership was removed signs nobody in.
          .innerJoin(
            memberships,
            and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId))
          )
          .where(eq(sessions.idHash, idHash))
      ).pipe(
        Effect.flatMap(([row]) =>
          orNull(row, (r) =>
            Effect.all({
              session: decodeSession({ ...r.session }),
              membership: membershipOf({ ...r.session, role: r.role })
            })
          )
        )
      ),

    deleteSession: (idHash) =>
      write(
        (db) => db.delete(sessions).where(eq(sessions.idHash, idHash)),
        () => Change.session(idHash)
      ).pipe(Effect.asVoid),

    deleteExpiredSessions: (now) =>
      write(
        (db) => db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ idHash: sessions.idHash }),
        (rows) => (rows.length === 0 ? null : Change.sessions)
      ).pipe(Effect.map((rows) => rows.length)),

    createApiToken: (token) =>
      // An upsert too: replacing a token's hash or revocation must reach every instance.
      write(
        (db) =>
          db
            .insert(apiTokens)
            .values({ ...token })
            .onConflictDoUpdate({
              target: [apiTokens.workspaceId, apiTokens.id],
              set: {
                name: token.name,
                tokenHash: token.tokenHash,
                lastUsedAt: token.lastUsedAt,
                revokedAt: token.revokedAt
              }
            }),
        () => Change.tokens
      ).pipe(Effect.asVoid),

    createApiTokenOnce: (token, audit) =>
      write(
        async (db) => {
          const rows = await db
            .insert(apiTokens)
            .values({ ...token })
            .onConflictDoNothing({ target: [apiTokens.workspaceId, apiTokens.id] })
            .returning({ id: apiTokens.id })
          // The audit row commits with the token, or neither does.
          if (rows.length > 0) await insertAuditEvent(db, audit)
          return rows
        },
        (rows) => (rows.length === 0 ? null : Change.tokens)
      ).pipe(Effect.map((rows) => rows.length > 0)),

    useApiToken: (tokenHash, now) =>
      // One statement finds the live token with its membership and records its use.
      query((db) =>
        db
          .update(apiTokens)
          .set({ lastUsedAt: now })
          .from(memberships)
          .where(
            and(
              eq(apiTokens.tokenHash, tokenHash),
              isNull(apiTokens.revokedAt),
              eq(memberships.userId, apiTokens.userId),
              eq(memberships.workspaceId, apiTokens.workspaceId)
            )
          )
          .returning({ ...tokenColumns, role: memberships.role })
      ).pipe(
        Effect.flatMap(([row]) =>
          orNull(row, ({ role, ...token }) =>
            Effect.all({ token: decodeApiToken(token), membership: membershipOf({ ...token, role }) })
          )
        )
      ),

    listApiTokens: (userId, workspaceId) =>
      query((db) =>
        db
          .select()
          .from(apiTokens)
          .where(and(eq(apiTokens.userId, userId), eq(apiTokens.workspaceId, workspaceId)))
          .orderBy(desc(apiTokens.createdAt), asc(apiTokens.id))
      ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, (row) => decodeApiToken({ ...row })))),

    revokeApiToken: (userId, workspaceId, id, now, audit) =>
      write(
        async (db) => {
          const own = and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), eq(apiTokens.workspaceId, workspaceId))
          const revoked = await db
            .update(apiTokens)
            .set({ revokedAt: now })
            .where(and(own, isNull(apiTokens.revokedAt)))
            .returning({ id: apiTokens.id })
          // Only the call that revoked a live token audits it, in the same transaction.
          if (revoked.length > 0) {
            await insertAuditEvent(db, audit)
            return "revoked" as const
          }
          const [found] = await db.select({ id: apiTokens.id }).from(apiTokens).where(own)
          return found === undefined ? ("missing" as const) : ("already" as const)
        },
        (outcome) => (outcome === "revoked" ? Change.tokens : null)
      ).pipe(
        Effect.flatMap((outcome) =>
          outcome === "missing" ? Effect.fail(new NotFound({ entity: "api_token", id })) : Effect.void
        )
      )
  })
})

export const AccountStoreDrizzle = Layer.effect(AccountStore, makeAccountStoreDrizzle)
