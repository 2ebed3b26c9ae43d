import { Ids, UserId, WorkspaceId } from "@sciple/jira-core"
import { uniqueId } from "@sciple/jira-core/testing"
import { Effect, Layer } from "effect"
import { DrizzleDatabase } from "../../src/drizzle-database.ts"
import { memberships, users, workspaces } from "../../src/schema.ts"
import { storeUnavailable } from "../../src/store-errors.ts"

/** The contract suites' builders, shared with core. */
export { aConfig, aCredential, anAudit } from "@sciple/jira-core/testing"

/** A workspace and an admin user in it, written straight to the tables the configuration rows refer to. */
export const freshWorkspace = Effect.gen(function* () {
  const database = yield* DrizzleDatabase
  const workspaceId = WorkspaceId.make(uniqueId("ws"))
  const userId = UserId.make(uniqueId("user"))
  const createdAt = new Date("2026-01-02T03:04:05.678Z")
  yield* database
    .run(async (db) => {
      await db.insert(workspaces).values({ id: workspaceId, name: `Workspace ${workspaceId}`, createdAt })
      await db
        .insert(users)
        .values({ id: userId, email: `${userId}@example.test`, displayName: "Ada", passwordHash: "x", createdAt })
      await db.insert(memberships).values({ userId, workspaceId, role: "admin" })
    })
    .pipe(Effect.mapError(storeUnavailable))
  return { workspaceId, userId }
})

/** Unique ids, so tests sharing one database never collide. */
export const IdsRandom = Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => crypto.randomUUID()) }))
