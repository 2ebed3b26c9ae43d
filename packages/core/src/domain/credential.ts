import { Schema } from "effect"
import { CredentialId, SecretRef, UserId, WorkspaceId } from "./ids.ts"

/** The product's only credential shape: an Atlassian email and an API token, for Jira. */
export const CredentialKind = Schema.Literal("username_password")
export const CredentialProvider = Schema.Literal("jira")

const CredentialName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100))
/** The Atlassian account email the token belongs to. */
export const AtlassianEmail = Schema.String.check(
  Schema.isMaxLength(254),
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)
)

/**
 * Credential metadata as stored and shown. The API token is not here: it lives in the SecretStore under
 * `secretRef` and is only ever handled as `Redacted`.
 */
export class Credential extends Schema.Class<Credential>("@sciple/jira-core/Credential")({
  id: CredentialId,
  workspaceId: WorkspaceId,
  name: CredentialName,
  kind: CredentialKind,
  provider: CredentialProvider,
  username: AtlassianEmail,
  secretRef: SecretRef,
  /** Bumped when the token is rotated, so caches keyed by it drop what the old token fetched. */
  version: Schema.Int,
  createdBy: UserId,
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}) {}

/**
 * A credential create in flight (adr/0028): recorded before its secret is written, so a create that fails or
 * loses its commit's answer can be settled later — the secret kept when the credential row exists, deleted
 * when it does not. It names where the secret is, never the secret.
 */
export class PendingCredential extends Schema.Class<PendingCredential>("@sciple/jira-core/PendingCredential")({
  workspaceId: WorkspaceId,
  credentialId: CredentialId,
  secretRef: SecretRef,
  createdAt: Schema.Date
}) {}
