import { Effect, Redacted } from "effect"
import { SettingsManager } from "../authorization.ts"
import { diffFields } from "../domain/audit.ts"
import { AtlassianEmail, Credential } from "../domain/credential.ts"
import { CredentialId } from "../domain/ids.ts"
import { type InvalidField, InvalidInput } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { SecretStore } from "../ports/SecretStore.ts"
import { auditEvent, newId, now, requiredText } from "./support.ts"

export interface CreateCredentialInput {
  readonly name: string
  readonly username: string
  readonly token: Redacted.Redacted<string>
}

const MAX_TOKEN_LENGTH = 4096
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

/**
 * Stores the token in the SecretStore first and the metadata second; if the metadata cannot be
 * written, the secret is deleted again, so no orphan secret is left behind.
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
  if (problems.length > 0) return yield* new InvalidInput({ fields: problems })

  const store = yield* ConfigStore
  const secrets = yield* SecretStore
  const id = CredentialId.make(yield* newId)
  const at = yield* now
  const secretRef = yield* secrets.put({ workspaceId: manager.workspaceId, credentialId: id }, token)
  const credential = new Credential({
    id,
    workspaceId: manager.workspaceId,
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
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "CREDENTIAL_CREATED",
    at,
    credentialId: id,
    changes: diffFields(null, { name, username, kind: "username_password", provider: "jira" })
  })
  yield* store.createCredential(credential, audit).pipe(
    Effect.onError(() =>
      secrets.delete(secretRef).pipe(
        // The ref names the secret, not its value: enough for an operator to remove the orphan by hand.
        Effect.catch((error) =>
          Effect.logWarning("could not delete the secret of a credential that was not created").pipe(
            Effect.annotateLogs({ secretRef, reason: error._tag })
          )
        )
      )
    )
  )
  return credential
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
