import { InvalidInput, SettingsManager } from "@sciple/jira-core"
import { Effect } from "effect"
import { AccountStore } from "./AccountStore.ts"
import { ApiToken } from "./accounts.ts"

/**
 * Personal API tokens, as use cases like core's: each needs `SettingsManager` in its type (so `asManager` must
 * run it) and acts for that principal's own user and workspace only.
 */

export const listApiTokens = Effect.fn("listApiTokens")(function* () {
  const manager = yield* SettingsManager
  return yield* AccountStore.use((accounts) => accounts.listApiTokens(manager.userId, manager.workspaceId))
})

export interface NewApiToken {
  readonly id: string
  readonly name: string
  /** The caller shows the secret once and hands over only its hash. */
  readonly tokenHash: string
  readonly now: Date
  /** When the token stops working; null only when the person chose "No expiry". */
  readonly expiresAt: Date | null
}

/** The manager's new token, or InvalidInput on its name. */
const newToken = Effect.fnUntraced(function* (input: NewApiToken) {
  const manager = yield* SettingsManager
  const name = input.name.trim()
  if (name.length === 0 || name.length > 100) {
    return yield* InvalidInput.one("name", "Name is required (at most 100 characters).")
  }
  return new ApiToken({
    id: input.id,
    userId: manager.userId,
    workspaceId: manager.workspaceId,
    name,
    tokenHash: input.tokenHash,
    createdAt: input.now,
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: input.expiresAt
  })
})

/** @internal exported for its tests */
export const createApiToken = Effect.fn("createApiToken")(function* (input: NewApiToken) {
  const token = yield* newToken(input)
  yield* AccountStore.use((accounts) => accounts.createApiToken(token))
  return token
})

/**
 * Creates the token once per id: the page derives the id from the form's idempotency key, so a
 * double-submitted form creates one token. Null when that form already created it (no second secret).
 */
export const createApiTokenOnce = Effect.fn("createApiTokenOnce")(function* (input: NewApiToken) {
  const token = yield* newToken(input)
  const created = yield* AccountStore.use((accounts) => accounts.createApiTokenOnce(token))
  return created ? token : null
})

export const revokeApiToken = Effect.fn("revokeApiToken")(function* (id: string, now: Date) {
  const manager = yield* SettingsManager
  yield* AccountStore.use((accounts) => accounts.revokeApiToken(manager.userId, manager.workspaceId, id, now))
})
