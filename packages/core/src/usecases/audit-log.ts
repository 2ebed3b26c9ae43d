import { Effect } from "effect"
import { SettingsManager } from "../authorization.ts"
import type { AuditCursor } from "../ports/ConfigStore.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"

/** Manage > Audit log: the workspace's events, newest first. */
export const listAuditLog = Effect.fn("listAuditLog")(function* (input: {
  readonly before?: AuditCursor | null
  readonly limit?: number
}) {
  const manager = yield* SettingsManager
  const limit = Math.min(100, Math.max(1, Math.floor(input.limit ?? 25)))
  return yield* (yield* ConfigStore).listAudit(manager.workspaceId, { limit, before: input.before ?? null })
})
