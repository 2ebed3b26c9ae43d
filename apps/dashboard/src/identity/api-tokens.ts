import {
  type AuditAction,
  AuditEvent,
  AuditEventId,
  DashboardViewer,
  type FieldChange,
  Ids,
  InvalidInput,
  NotFound,
  type Principal
} from "@sciple/jira-core"
import { Effect } from "effect"
import { AccountStore } from "./AccountStore.ts"
import { ApiToken } from "./accounts.ts"

/**
 * Personal API tokens, as use cases like core's. Every signed-in person has their own (a token acts with its
 * owner's permissions, whatever the role): each needs `DashboardViewer` in its type (so `asViewer` must run it)
 * and acts for that principal's own user and workspace only. Creating and revoking one is written to the
 * workspace's audit log in the same transaction, with the token's name and expiry, never the token.
 */

export const listApiTokens = Effect.fn("listApiTokens")(function* () {
  const person = yield* DashboardViewer
  return yield* AccountStore.use((accounts) => accounts.listApiTokens(person.userId, person.workspaceId))
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

/** What the audit log keeps of a token: its name and expiry. */
const tokenFields = (token: ApiToken) => ({
  name: token.name,
  expiresAt: token.expiresAt == null ? "never" : token.expiresAt.toISOString()
})

const tokenAudit = Effect.fnUntraced(function* (
  person: Principal,
  action: AuditAction,
  at: Date,
  changes: ReadonlyArray<FieldChange>
) {
  const id = yield* Ids.use((ids) => ids.next)
  return new AuditEvent({
    id: AuditEventId.make(id),
    workspaceId: person.workspaceId,
    actorId: person.userId,
    action,
    at,
    credentialId: null,
    changes: [...changes]
  })
})

/**
 * Creates the person's token once per id: the page derives the id from the form's idempotency key, so a
 * double-submitted form creates one token (and one audit event). Null when that form already created it
 * (no second secret), or InvalidInput on its name.
 */
export const createApiTokenOnce = Effect.fn("createApiTokenOnce")(function* (input: NewApiToken) {
  const person = yield* DashboardViewer
  const name = input.name.trim()
  if (name.length === 0 || name.length > 100) {
    return yield* InvalidInput.one("name", "Name is required (at most 100 characters).")
  }
  const token = new ApiToken({
    id: input.id,
    userId: person.userId,
    workspaceId: person.workspaceId,
    name,
    tokenHash: input.tokenHash,
    createdAt: input.now,
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: input.expiresAt
  })
  const fields = tokenFields(token)
  const audit = yield* tokenAudit(person, "API_TOKEN_CREATED", input.now, [
    { field: "name", from: null, to: fields.name },
    { field: "expiresAt", from: null, to: fields.expiresAt }
  ])
  const created = yield* AccountStore.use((accounts) => accounts.createApiTokenOnce(token, audit))
  return created ? token : null
})

/** Revokes one of the person's own tokens; revoking it again changes (and audits) nothing. NotFound otherwise. */
export const revokeApiToken = Effect.fn("revokeApiToken")(function* (id: string, now: Date) {
  const person = yield* DashboardViewer
  const accounts = yield* AccountStore
  const token = (yield* accounts.listApiTokens(person.userId, person.workspaceId)).find((t) => t.id === id)
  if (token === undefined) return yield* new NotFound({ entity: "api_token", id })
  if (token.revokedAt !== null) return
  const fields = tokenFields(token)
  const audit = yield* tokenAudit(person, "API_TOKEN_REVOKED", now, [
    { field: "name", from: fields.name, to: null },
    { field: "expiresAt", from: fields.expiresAt, to: null }
  ])
  yield* accounts.revokeApiToken(person.userId, person.workspaceId, id, now, audit)
})
