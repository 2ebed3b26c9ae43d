import { UserId, WorkspaceId } from "@sciple/jira-core"
import { uniqueId } from "@sciple/jira-core/testing"
import { Effect } from "effect"
import { AccountStore } from "../../src/identity/AccountStore.ts"
import { Membership, User, Workspace } from "../../src/identity/accounts.ts"

/** Test support: a workspace and an admin user in it, created through the AccountStore. */
export const freshWorkspace = Effect.gen(function* () {
  const accounts = yield* AccountStore
  const workspaceId = WorkspaceId.make(uniqueId("ws"))
  const userId = UserId.make(uniqueId("user"))
  const at = new Date("2026-01-02T03:04:05.678Z")
  yield* accounts.createWorkspace(new Workspace({ id: workspaceId, name: `Workspace ${workspaceId}`, createdAt: at }))
  yield* accounts.createUser(
    new User({
      id: userId,
      email: `${userId}@example.test`,
      displayName: "Ada",
      passwordHash: "scrypt$x$y",
      createdAt: at
    })
  )
  yield* accounts.putMembership(new Membership({ userId, workspaceId, role: "admin" }))
  return { workspaceId, userId }
})
