import type { Effect } from "effect"
import type { UserId, WorkspaceId } from "../domain/ids.ts"

/** A new workspace and a member of it, created however the store's database needs them (rows refer to both). */
export type SeedWorkspace<R> = Effect.Effect<{ readonly workspaceId: WorkspaceId; readonly userId: UserId }, unknown, R>
