import { Effect } from "effect"
import { type AuditAction, AuditEvent } from "../domain/audit.ts"
import { Credential } from "../domain/credential.ts"
import { AuditEventId, CredentialId, JiraConfigId, SecretRef, UserId, WorkspaceId } from "../domain/ids.ts"
import { JiraConfig } from "../domain/jira-config.ts"
import { SiteUrl } from "../domain/site-url.ts"

/** Unique per call, so contract tests sharing one database never see each other's rows. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`

/** A new workspace and user, for stores that keep no rows of their own for them (the fakes, a document store). */
export const newWorkspaceIds = Effect.sync(() => ({
  workspaceId: WorkspaceId.make(uniqueId("ws")),
  userId: UserId.make(uniqueId("user"))
}))

export const aCredential = (workspaceId: WorkspaceId, userId: UserId, overrides: Partial<Credential> = {}) => {
  const id = CredentialId.make(uniqueId("cred"))
  return new Credential({
    id,
    workspaceId,
    name: `Jira bot ${id}`,
    kind: "username_password",
    provider: "jira",
    username: "bot@example.test",
    secretRef: SecretRef.make(`ref/${workspaceId}/${id}`),
    version: 1,
    createdBy: userId,
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    updatedAt: new Date("2026-01-02T03:04:05.678Z"),
    ...overrides
  })
}

export const aConfig = (credential: Credential, overrides: Partial<JiraConfig> = {}) =>
  new JiraConfig({
    id: JiraConfigId.make(uniqueId("cfg")),
    workspaceId: credential.workspaceId,
    name: "My Jira",
    baseUrl: SiteUrl.make("https://acme.atlassian.net"),
    credentialId: credential.id,
    defaultJql: "updated >= -30d ORDER BY updated DESC",
    health: null,
    route: null,
    cloudId: null,
    version: 1,
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    updatedAt: new Date("2026-01-02T03:04:05.678Z"),
    ...overrides
  })

export const anAudit = (
  workspaceId: WorkspaceId,
  actorId: UserId,
  action: AuditAction,
  overrides: Partial<AuditEvent> = {}
) =>
  new AuditEvent({
    id: AuditEventId.make(uniqueId("audit")),
    workspaceId,
    actorId,
    action,
    at: new Date("2026-01-02T03:04:05.678Z"),
    credentialId: null,
    changes: [],
    ...overrides
  })
