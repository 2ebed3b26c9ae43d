import { Effect, Redacted } from "effect"
import { SettingsManager } from "../authorization.ts"
import { diffFields } from "../domain/audit.ts"
import { AtlassianEmail, Credential, PendingCredential } from "../domain/credential.ts"
import { CredentialId } from "../domain/ids.ts"
import { type InvalidField, InvalidInput } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { SecretStore } from "../ports/SecretStore.ts"
import { auditEvent, newId, now, requiredText } from "./support.ts"

export interface CreateCredentialInput {
  readonly name: string
  readonly username: string
  readonly token: Redacted.Redacted<string>
  /**
   * Names the create (a form's hidden key, an API call's `Idempotency-Key`): it becomes the credential's id, so
   * a repeat with the same values answers the same credential and a repeat with other values is refused.
   */
  readonly idempotencyKey?: string | undefined
}

const MAX_TOKEN_LENGTH = 4096
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/
const isEmail = (value: string) => AtlassianEmail.makeOption(value)._tag === "Some"

const validToken = (problems: Array<InvalidField>, token: Redacted.Redacted<string>) => {
  const value = Redacted.value(token).trim()
  // Messages name the field, never its value.
  if (value.length === 0) problems.push({ field: "token", message: "API token is required." })
  else if (value.length > MAX_TOKEN_LENGTH) problems.push({ field: "token", message: "API token is too long." })
  else if (/\s/.test(value)) problems.push({ field: "token", message: "API token must not contain spaces." })
  return Redacted.make(value)
}

/** The id as a CredentialId, or InvalidInput naming `field`. */
export const parseCredentialId = (id: string, field = "credentialId") =>
  Effect.mapError(CredentialId.makeEffect(id.trim()), () => InvalidInput.one(field, "Select a credential."))

const keyUsedOtherwise = () =>
  InvalidInput.one(
    "idempotencyKey",
    "This idempotency key already created a credential with other values. Send the same values, or a new key."
  )

/**
 * Creates a credential in three steps (adr/0028): a pending record naming the secret's ref, its own unit of
 * work; the secret; then the row, its audit event and the pending record's removal, in one unit of work. When
 * the second or third step fails, the create is settled at once: if the row exists (the commit landed but its
 * answer was lost) the create succeeded; if not, the secret and the record go. A create interrupted before it
 * could settle is settled by `reconcilePendingCredentials`.
 */
export const createCredential = Effect.fn("createCredential")(function* (input: CreateCredentialInput) {
  const manager = yield* SettingsManager
  const problems: Array<InvalidField> = []
  const name = requiredText(problems, "name", "Name", input.name, 100)
  const username = requiredText(problems, "username", "Atlassian email", input.username, 254).toLowerCase()
  if (username.length > 0 && username.length <= 254 && !isEmail(username)) {
    problems.push({ field: "username", message: "Atlassian email must be an email address." })
  }
  const token = validToken(problems, input.token)
  const key = input.idempotencyKey ?? null
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
    problems.push({ field: "idempotencyKey", message: "The idempotency key must be 16 to 64 of A-Z a-z 0-9 _ -." })
  }
  if (problems.length > 0) return yield* new InvalidInput({ fields: problems })

  const store = yield* ConfigStore
  const secrets = yield* SecretStore
  const workspaceId = manager.workspaceId
  const id = CredentialId.make(key ?? (yield* newId))
  const owner = { workspaceId, credentialId: id }
  const secretRef = secrets.refFor(owner)
  const sameValues = (existing: Credential) => existing.name === name && existing.username === username
  /** A repeat answers the credential its key created, if it was created with these values. */
  const theSame = (existing: Credential) => (sameValues(existing) ? Effect.succeed(existing) : keyUsedOtherwise())

  if (key !== null) {
    const existing = yield* store
      .getCredential(workspaceId, id)
      .pipe(Effect.catchTag("NotFound", () => Effect.succeed(null)))
    if (existing !== null) {
      const stored = yield* secrets.get(existing.secretRef).pipe(
        Effect.map((value) => Redacted.value(value) === Redacted.value(token)),
        Effect.catchTag("SecretNotFound", () => Effect.succeed(false))
      )
      return yield* stored ? theSame(existing) : keyUsedOtherwise()
    }
  }

  const at = yield* now
  const credential = new Credential({
    id,
    workspaceId,
    name,
    kind: "username_password",
    provider: "jira",
    username,
    secretRef,
    version: 1,
    createdBy: manager.userId,
    createdAt: at,
    updatedAt: at
  })
  const audit = yield* auditEvent({
    workspaceId,
    actorId: manager.userId,
    action: "CREDENTIAL_CREATED",
    at,
    credentialId: id,
    changes: diffFields(null, { name, username, kind: "username_password", provider: "jira" })
  })

  yield* store.recordPendingCredential(
    new PendingCredential({ workspaceId, credentialId: id, secretRef, createdAt: at })
  )
  const outcome = yield* secrets.put(owner, token).pipe(
    Effect.andThen(store.createCredential(credential, audit)),
    Effect.catch((error) =>
      store.settlePendingCredential(workspaceId, id, secrets.delete(secretRef)).pipe(
        Effect.catch((settleError) =>
          // The pending record stays: the reconciliation settles it later. It names ids, never the secret.
          Effect.logWarning("could not settle a failed credential create; it is left to the reconciliation").pipe(
            Effect.annotateLogs({ workspaceId, credentialId: id, reason: settleError._tag }),
            Effect.as(null)
          )
        ),
        // The row exists: the commit landed and only its answer was lost.
        Effect.flatMap((existing) => (existing === null ? Effect.fail(error) : Effect.succeed(existing)))
      )
    )
  )
  if (outcome === "created") return credential
  if (outcome === "exists") return yield* theSame(yield* store.getCredential(workspaceId, id))
  return yield* theSame(outcome)
})

export const listCredentials = Effect.fn("listCredentials")(function* () {
  const manager = yield* SettingsManager
  return yield* (yield* ConfigStore).listCredentials(manager.workspaceId)
})

/** Replaces a credential's API token; its version moves on, so caches drop what the old token fetched. */
export const rotateCredentialToken = Effect.fn("rotateCredentialToken")(function* (
  credentialId: string,
  newToken: Redacted.Redacted<string>
) {
  const manager = yield* SettingsManager
  const problems: Array<InvalidField> = []
  const token = validToken(problems, newToken)
  if (problems.length > 0) return yield* new InvalidInput({ fields: problems })
  const id = yield* parseCredentialId(credentialId)
  const store = yield* ConfigStore
  const credential = yield* store.getCredential(manager.workspaceId, id)
  yield* (yield* SecretStore).rotate(credential.secretRef, token)
  const at = yield* now
  const rotated = new Credential({ ...credential, version: credential.version + 1, updatedAt: at })
  const audit = yield* auditEvent({
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "CREDENTIAL_ROTATED",
    at,
    credentialId: id,
    changes: diffFields({ version: String(credential.version) }, { version: String(rotated.version) })
  })
  yield* store.updateCredential(rotated, audit)
  return rotated
})

/**
 * Deletes a credential and its secret. A credential the Jira configuration uses is refused by the store's
 * unit of work before the secret is touched (a connect racing the delete cannot keep a credential whose
 * secret is gone); the secret goes inside that unit of work, so a secret store failure leaves the row and the
 * delete can simply be retried.
 */
export const deleteCredential = Effect.fn("deleteCredential")(function* (credentialId: string) {
  const manager = yield* SettingsManager
  const id = yield* parseCredentialId(credentialId)
  const store = yield* ConfigStore
  const credential = yield* store.getCredential(manager.workspaceId, id)
  const secrets = yield* SecretStore
  const audit = yield* auditEvent({
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "CREDENTIAL_DELETED",
    at: yield* now,
    credentialId: id,
    changes: diffFields({ name: credential.name, username: credential.username }, null)
  })
  yield* store.deleteCredential(manager.workspaceId, id, audit, secrets.delete(credential.secretRef))
})
