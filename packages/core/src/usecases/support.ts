import { Clock, Effect, type Redacted } from "effect"
import { type AuditAction, AuditEvent, type FieldChange } from "../domain/audit.ts"
import type { Credential } from "../domain/credential.ts"
import { AuditEventId, type CredentialId, type UserId, type WorkspaceId } from "../domain/ids.ts"
import type { JiraConfig } from "../domain/jira-config.ts"
import type { InvalidField } from "../errors.ts"
import { NotConnected } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { Ids } from "../ports/Ids.ts"
import type { JiraConnection, JiraRoute } from "../ports/IssueSource.ts"
import { SecretStore } from "../ports/SecretStore.ts"

export const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

export const newId = Ids.use((ids) => ids.next)

export const auditEvent = (input: {
  readonly workspaceId: WorkspaceId
  readonly actorId: UserId
  readonly action: AuditAction
  readonly at: Date
  readonly credentialId: CredentialId | null
  readonly changes: ReadonlyArray<FieldChange>
}) => Effect.map(newId, (id) => new AuditEvent({ id: AuditEventId.make(id), ...input, changes: [...input.changes] }))

/** Trims and bounds a required text field, collecting a problem instead of failing at once. */
export const requiredText = (
  problems: Array<InvalidField>,
  field: string,
  label: string,
  value: string | undefined,
  max: number
): string => {
  const trimmed = (value ?? "").trim()
  if (trimmed.length === 0) problems.push({ field, message: `${label} is required.` })
  else if (trimmed.length > max) problems.push({ field, message: `${label} must be at most ${max} characters.` })
  return trimmed
}

const connectionOf = (
  config: JiraConfig,
  credential: Credential,
  token: Redacted.Redacted<string>
): JiraConnection => ({
  site: config.baseUrl,
  email: credential.username,
  token,
  cacheKey: `${config.id}@${config.version}/${credential.id}@${credential.version}`,
  route: routeOf(config)
})

/** The recorded route, or null (the adapter then finds it). */
const routeOf = (config: JiraConfig): JiraRoute | null => {
  if (config.route === "site") return { kind: "site" }
  if (config.route === "gateway" && config.cloudId !== null) return { kind: "gateway", cloudId: config.cloudId }
  return null
}

/** The workspace's configuration and the connection it describes, or NotConnected. */
export const resolveConnection = Effect.fnUntraced(function* (workspaceId: WorkspaceId) {
  const store = yield* ConfigStore
  const config = yield* store.getConfig(workspaceId)
  if (config === null) return yield* new NotConnected()
  const credential = yield* store.getCredential(workspaceId, config.credentialId)
  const token = yield* (yield* SecretStore).get(credential.secretRef)
  return { config, credential, connection: connectionOf(config, credential, token) }
})

export const minDate = (dates: ReadonlyArray<Date>): Date => new Date(Math.min(...dates.map((date) => date.getTime())))
