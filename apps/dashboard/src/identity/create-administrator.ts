import { UserId, WorkspaceId } from "@sciple/jira-core"
import { Effect } from "effect"
import { AccountStore } from "./AccountStore.ts"
import { Membership, User, Workspace } from "./accounts.ts"

/** Creates a workspace with its first administrator (setup link, ADMIN_EMAIL/ADMIN_PASSWORD, or the demo). */
export const createAdministrator = (input: {
  readonly workspaceId: string
  readonly userId: string
  readonly workspaceName: string
  readonly email: string
  readonly passwordHash: string
  readonly at: Date
  readonly role?: "admin" | "viewer"
}) =>
  Effect.gen(function* () {
    const accounts = yield* AccountStore
    const workspaceId = WorkspaceId.make(input.workspaceId)
    const userId = UserId.make(input.userId)
    if ((yield* accounts.getWorkspace(workspaceId)) === null) {
      yield* accounts.createWorkspace(
        new Workspace({ id: workspaceId, name: input.workspaceName, createdAt: input.at })
      )
    }
    yield* accounts.createUser(
      new User({
        id: userId,
        email: input.email.toLowerCase(),
        displayName: input.email.split("@")[0] ?? "",
        passwordHash: input.passwordHash,
        createdAt: input.at
      })
    )
    yield* accounts.putMembership(new Membership({ userId, workspaceId, role: input.role ?? "admin" }))
  })
