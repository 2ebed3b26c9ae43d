import { Schema } from "effect"
import { CredentialId, SecretRef, UserId, WorkspaceId } from "./ids.ts"

/** The product's only credential shape: an Atlassian email and an API token, for Jira. */
const CredentialKind = Schema.Literal("username_password")
const CredentialProvider = Schema.Literal("jira")

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
