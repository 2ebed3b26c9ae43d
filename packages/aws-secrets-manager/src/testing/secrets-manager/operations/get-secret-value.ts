import { epochSeconds, type Input } from "../protocol.ts"
import type { SecretsState } from "../state.ts"

export const getSecretValue = (state: SecretsState, input: Input) => {
  const secret = state.live(input)
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: secret.versionId,
    SecretString: secret.value,
    VersionStages: ["AWSCURRENT"],
    CreatedDate: epochSeconds(secret.lastChangedAt)
  }
}
