import { type Input, secretString, versionOf } from "../protocol.ts"
import type { SecretsState } from "../state.ts"

export const putSecretValue = (state: SecretsState, input: Input) => {
  const secret = state.live(input)
  secret.value = secretString(input)
  secret.versionId = versionOf(input)
  secret.lastChangedAt = new Date()
  return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ["AWSCURRENT"] }
}
