import { AwsError, type Input, stringField } from "./protocol.ts"

/** A secret as the emulator keeps it: one current version, and deletion scheduling. */
export interface StoredSecret {
  readonly name: string
  readonly arn: string
  value: string
  versionId: string
  readonly description: string | null
  readonly kmsKeyId: string | null
  readonly tags: Map<string, string>
  readonly createdAt: Date
  lastChangedAt: Date
  /** Set while the secret is scheduled for deletion. */
  deletedAt: Date | null
  deletionDate: Date | null
}

export const notFound = () =>
  new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")

export const markedForDeletion = () =>
  new AwsError(
    "InvalidRequestException",
    "You can't perform this operation on the secret because it was marked for deletion."
  )

/** One region's secrets, by name; `SecretId` may be a name or an ARN. */
export const makeSecretsState = (region: string) => {
  const secrets = new Map<string, StoredSecret>()

  const find = (secretId: string | undefined): StoredSecret | undefined => {
    if (secretId === undefined) return undefined
    const byName = secrets.get(secretId)
    if (byName !== undefined) return byName
    for (const secret of secrets.values()) if (secret.arn === secretId) return secret
    return undefined
  }

  /** The secret `SecretId` names, which must exist and not be scheduled for deletion. */
  const live = (input: Input): StoredSecret => {
    const secret = find(stringField(input, "SecretId"))
    if (secret === undefined) throw notFound()
    if (secret.deletedAt !== null) throw markedForDeletion()
    return secret
  }

  return { region, secrets, find, live }
}

export type SecretsState = ReturnType<typeof makeSecretsState>
