import { type Input, stringField } from "../protocol.ts"
import { notFound, type SecretsState } from "../state.ts"

export const restoreSecret = (state: SecretsState, input: Input) => {
  const secret = state.find(stringField(input, "SecretId"))
  if (secret === undefined) throw notFound()
  secret.deletedAt = null
  secret.deletionDate = null
  return { ARN: secret.arn, Name: secret.name }
}
