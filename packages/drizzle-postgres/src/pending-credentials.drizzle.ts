import { type ConfigStore, Credential, PendingCredential, type SecretError } from "@sciple/jira-core"
import { and, asc, eq, lt } from "drizzle-orm"
import { Effect } from "effect"
import { decodeRow } from "./decode-row.ts"
import type { Db, DrizzleDatabaseShape } from "./drizzle-database.ts"
import { runEffectInTransaction } from "./effect-in-transaction.ts"
import { credentials, pendingCredentials } from "./schema.ts"
import { storeUnavailable } from "./store-errors.ts"

const decodePending = decodeRow(PendingCredential, "pending credential")
const decodeCredential = decodeRow(Credential, "credential")

/** The largest batch a caller gets, whatever it asks for. */
const MAX_PENDING_PAGE = 1000

/** Removes the credential's pending record; inside the credential's own write, so both commit together. */
export const removePending = (tx: Db, workspaceId: string, credentialId: string) =>
  tx
    .delete(pendingCredentials)
    .where(and(eq(pendingCredentials.workspaceId, workspaceId), eq(pendingCredentials.credentialId, credentialId)))

/** ConfigStore's pending-credential methods (adr/0028) on PostgreSQL or PGlite. */
export const makePendingCredentialsDrizzle = (
  database: DrizzleDatabaseShape
): Pick<ConfigStore["Service"], "recordPendingCredential" | "listPendingCredentials" | "settlePendingCredential"> => ({
  recordPendingCredential: (pending) =>
    database
      .run((db) =>
        db
          .insert(pendingCredentials)
          .values({ ...pending })
          .onConflictDoNothing({ target: [pendingCredentials.workspaceId, pendingCredentials.credentialId] })
      )
      .pipe(Effect.asVoid, Effect.mapError(storeUnavailable)),

  listPendingCredentials: (createdBefore, limit) =>
    database
      .run((db) =>
        db
          .select()
          .from(pendingCredentials)
          .where(lt(pendingCredentials.createdAt, createdBefore))
          .orderBy(asc(pendingCredentials.createdAt), asc(pendingCredentials.workspaceId))
          .limit(Math.max(0, Math.min(MAX_PENDING_PAGE, Math.floor(limit) || 0)))
      )
      .pipe(
        Effect.mapError(storeUnavailable),
        Effect.flatMap((rows) => Effect.forEach(rows, (row) => decodePending({ ...row })))
      ),

  settlePendingCredential: (workspaceId, id, removeSecret) =>
    Effect.context<never>().pipe(
      Effect.flatMap((context) =>
        database.transaction<typeof credentials.$inferSelect | null, SecretError>(async (tx, abort) => {
          // Deleting the record first takes its row lock: a create committing the same credential waits, or
          // has committed and this sees its row.
          await removePending(tx, workspaceId, id)
          const [row] = await tx
            .select()
            .from(credentials)
            .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, id)))
          if (row !== undefined) return row
          await runEffectInTransaction(context, removeSecret, abort)
          return null
        })
      ),
      Effect.mapError((error) => (error._tag === "DatabaseFailure" ? storeUnavailable(error) : error)),
      Effect.flatMap((row) => (row === null ? Effect.succeed(null) : decodeCredential({ ...row })))
    )
})
