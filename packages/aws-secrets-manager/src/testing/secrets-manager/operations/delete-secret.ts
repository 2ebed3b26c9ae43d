import { AwsError, epochSeconds, type Input, stringField } from "../protocol.ts"
import { markedForDeletion, notFound, type SecretsState } from "../state.ts"

/** Schedules deletion after a 7-30 day recovery window (30 by default), or deletes at once when forced. */
export const deleteSecret = (state: SecretsState, input: Input) => {
  const force = input.ForceDeleteWithoutRecovery === true
  const window = input.RecoveryWindowInDays
  if (force && window !== undefined) {
    throw new AwsError(
      "InvalidParameterException",
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
    )
  }
  const days = window === undefined ? 30 : window
  if (typeof days !== "number" || !Number.isInteger(days) || days < 7 || days > 30) {
    throw new AwsError("InvalidParameterException", "RecoveryWindowInDays must be between 7 and 30 days.")
  }
  const secret = state.find(stringField(input, "SecretId"))
  if (secret === undefined) throw notFound()
  const now = new Date()
  if (force) {
    state.secrets.delete(secret.name)
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) }
  }
  if (secret.deletedAt !== null) throw markedForDeletion()
  secret.deletedAt = now
  secret.deletionDate = new Date(now.getTime() + days * 24 * 60 * 60 * 1000)
  return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletionDate) }
}
