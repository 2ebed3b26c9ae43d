import { epochSeconds, type Input, stringField } from "../protocol.ts"
import { notFound, type SecretsState } from "../state.ts"

export const describeSecret = (state: SecretsState, input: Input) => {
  const secret = state.find(stringField(input, "SecretId"))
  if (secret === undefined) throw notFound()
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === null ? {} : { Description: secret.description }),
    ...(secret.kmsKeyId === null ? {} : { KmsKeyId: secret.kmsKeyId }),
    Tags: [...secret.tags].map(([Key, Value]) => ({ Key, Value })),
    CreatedDate: epochSeconds(secret.createdAt),
    LastChangedDate: epochSeconds(secret.lastChangedAt),
    ...(secret.deletedAt === null ? {} : { DeletedDate: epochSeconds(secret.deletedAt) })
  }
}
