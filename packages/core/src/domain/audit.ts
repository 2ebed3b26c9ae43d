import { Schema } from "effect"
import { AuditEventId, CredentialId, UserId, WorkspaceId } from "./ids.ts"

export const AuditAction = Schema.Literals([
  "JIRA_CONFIG_CREATED",
  "JIRA_CONFIG_UPDATED",
  "JIRA_CONFIG_DELETED",
  "CREDENTIAL_CREATED",
  "CREDENTIAL_ROTATED",
  "CREDENTIAL_DELETED",
  // A person's API token for the embedding app's API: written by that app's identity store, with the token's
  // name and expiry, never the token.
  "API_TOKEN_CREATED",
  "API_TOKEN_REVOKED"
])
export type AuditAction = typeof AuditAction.Type

/** One changed, non-secret field: its value before and after (null where it did not exist). */
export const FieldChange = Schema.Struct({
  field: Schema.String,
  from: Schema.NullOr(Schema.String),
  to: Schema.NullOr(Schema.String)
})
export type FieldChange = typeof FieldChange.Type

/**
 * An entry of the platform's audit log. It records the credential reference, never a token: the
 * `changes` are built from an allow-list of fields (see `auditedFields`).
 */
export class AuditEvent extends Schema.Class<AuditEvent>("@sciple/jira-core/AuditEvent")({
  id: AuditEventId,
  workspaceId: WorkspaceId,
  actorId: UserId,
  action: AuditAction,
  at: Schema.Date,
  credentialId: Schema.NullOr(CredentialId),
  changes: Schema.Array(FieldChange)
}) {}

/** The changes between two records of the same allow-listed fields; unchanged fields are left out. */
export const diffFields = (
  before: Readonly<Record<string, string>> | null,
  after: Readonly<Record<string, string>> | null
): Array<FieldChange> => {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort()
  return keys.flatMap((field) => {
    const from = before?.[field] ?? null
    const to = after?.[field] ?? null
    return from === to ? [] : [{ field, from, to }]
  })
}
