import { randomBytes } from "node:crypto"
import {
  AwsError,
  EMULATOR_ACCOUNT_ID,
  type Input,
  required,
  secretString,
  stringField,
  tagsFrom,
  versionOf
} from "../protocol.ts"
import type { SecretsState, StoredSecret } from "../state.ts"

const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]{1,512}$/

export const createSecret = (state: SecretsState, input: Input) => {
  const name = required(input, "Name")
  if (!NAME_CHARS.test(name)) throw new AwsError("InvalidParameterException", "Invalid name.")
  const existing = state.secrets.get(name)
  if (existing?.deletedAt != null) {
    throw new AwsError(
      "InvalidRequestException",
      "You can't create this secret because a secret with this name is already scheduled for deletion."
    )
  }
  if (existing !== undefined) {
    throw new AwsError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`)
  }
  const value = secretString(input)
  const now = new Date()
  const suffix = randomBytes(3).toString("hex")
  const secret: StoredSecret = {
    name,
    arn: `arn:aws:secretsmanager:${state.region}:${EMULATOR_ACCOUNT_ID}:secret:${name}-${suffix}`,
    value,
    versionId: versionOf(input),
    description: stringField(input, "Description") ?? null,
    kmsKeyId: stringField(input, "KmsKeyId") ?? null,
    tags: new Map(tagsFrom(input)),
    createdAt: now,
    lastChangedAt: now,
    deletedAt: null,
    deletionDate: null
  }
  state.secrets.set(name, secret)
  return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId }
}
