import type { Input } from "../protocol.ts"
import type { SecretsState } from "../state.ts"
import { createSecret } from "./create-secret.ts"
import { deleteSecret } from "./delete-secret.ts"
import { describeSecret } from "./describe-secret.ts"
import { getSecretValue } from "./get-secret-value.ts"
import { putSecretValue } from "./put-secret-value.ts"
import { restoreSecret } from "./restore-secret.ts"
import { tagResource } from "./tag-resource.ts"

/** The operations the emulator answers, by their `x-amz-target` name; each throws an AwsError to refuse. */
export const OPERATIONS = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  DescribeSecret: describeSecret,
  TagResource: tagResource
} satisfies Record<string, (state: SecretsState, input: Input) => unknown>

export type SecretsManagerOperation = keyof typeof OPERATIONS

export const isOperation = (name: string): name is SecretsManagerOperation => Object.hasOwn(OPERATIONS, name)
