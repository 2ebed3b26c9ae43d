import { Schema } from "effect"

/** Identifiers are opaque, non-empty, bounded strings; the brand stops one kind of id being passed as another. */
const Id = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64), Schema.isPattern(/^[A-Za-z0-9_-]+$/))

export const WorkspaceId = Id.pipe(Schema.brand("WorkspaceId"))
export type WorkspaceId = typeof WorkspaceId.Type

export const UserId = Id.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

export const CredentialId = Id.pipe(Schema.brand("CredentialId"))
export type CredentialId = typeof CredentialId.Type

export const JiraConfigId = Id.pipe(Schema.brand("JiraConfigId"))
export type JiraConfigId = typeof JiraConfigId.Type

export const AuditEventId = Id.pipe(Schema.brand("AuditEventId"))
export type AuditEventId = typeof AuditEventId.Type

/** Where a secret lives in the SecretStore: an opaque reference, never the secret itself. */
export const SecretRef = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(512)).pipe(
  Schema.brand("SecretRef")
)
export type SecretRef = typeof SecretRef.Type
