import { Effect } from "effect"
import { Membership, User, Workspace } from "../../domain/accounts.ts"
import { type AuditAction, AuditEvent } from "../../domain/audit.ts"
import { Credential } from "../../domain/credential.ts"
import { AuditEventId, CredentialId, JiraConfigId, SecretRef, UserId, WorkspaceId } from "../../domain/ids.ts"
import { JiraConfig } from "../../domain/jira-config.ts"
import { SiteUrl } from "../../domain/site-url.ts"
import { AccountStore } from "../../ports/AccountStore.ts"

/** Unique per call, so contract tests sharing one database never see each other's rows. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`

/** A workspace and an admin user in it, created through the AccountStore. */
export const freshWorkspace = Effect.gen(function* () {
  const accounts = yield* AccountStore
  const workspaceId = WorkspaceId.make(uniqueId("ws"))
  const userId = UserId.make(uniqueId("user"))
  const at = new Date("2026-01-02T03:04:05.678Z")
  yield* accounts.createWorkspace(new Workspace({ id: workspaceId, name: `Workspace ${workspaceId}`, createdAt: at }))
  yield* accounts.createUser(
    new User({
      id: userId,
      email: `${userId}@example.test`,
      displayName: "Ada",
      passwordHash: "scrypt$x$y",
      createdAt: at
    })
  )
  yield* accounts.putMembership(new Membership({ userId, workspaceId, role: "admin" }))
  return { workspaceId, userId }
})

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
