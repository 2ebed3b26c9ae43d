import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand
} from "@aws-sdk/client-secrets-manager"
import { Data, Duration, Effect, Redacted } from "effect"

/**
 * The one file that speaks the AWS SDK. It exposes the few Secrets Manager calls the adapter needs, in the
 * adapter's own types, and reduces every failure to an `AwsCallError` that carries no request, no response
 * body and no SDK error object (a deserialization error's message can quote the raw body, i.e. the secret).
 */

export interface AwsStaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
  readonly sessionToken?: Redacted.Redacted<string> | undefined
}

export interface SecretsManagerClientOptions {
  readonly region: string
  /** Overrides the regional endpoint (LocalStack, a VPC endpoint). */
  readonly endpoint?: string | undefined
  /** Static credentials; without them the SDK's default provider chain is used (env, profile, IMDS, ...). */
  readonly credentials?: AwsStaticCredentials | undefined
  /** Bounds connecting and waiting for the response, each. */
  readonly requestTimeout: Duration.Duration
}

export interface AwsTag {
  readonly key: string
  readonly value: string
}

export type AwsOperation =
  | "CreateSecret"
  | "GetSecretValue"
  | "PutSecretValue"
  | "DeleteSecret"
  | "RestoreSecret"
  | "DescribeSecret"
  | "TagResource"

/** A failed Secrets Manager call, reduced to what error mapping needs. */
export class AwsCallError extends Data.TaggedError("AwsCallError")<{
  readonly operation: AwsOperation
  /** The AWS error code (`ResourceNotFoundException`, ...), or `NetworkError`, `TimeoutError`, `HttpError`, `CredentialsProviderError`. */
  readonly code: string
  readonly status: number | null
  readonly fault: "client" | "server" | "network"
  /** AWS's own message for modeled service errors; a fixed text otherwise. */
  readonly detail: string
}> {}

export interface SecretDescription {
  readonly name: string
  readonly arn: string
  readonly kmsKeyId: string | null
  /** Set when the secret is scheduled for deletion. */
  readonly deletedDate: Date | null
  readonly tags: ReadonlyArray<AwsTag>
}

export interface SecretsManagerApi {
  createSecret(input: {
    readonly name: string
    readonly value: Redacted.Redacted<string>
    readonly description: string
    readonly kmsKeyId: string | null
    readonly tags: ReadonlyArray<AwsTag>
  }): Effect.Effect<{ readonly arn: string; readonly name: string }, AwsCallError>
  /** Resolves to null when the secret holds binary data rather than a string. */
  getSecretValue(secretId: string): Effect.Effect<Redacted.Redacted<string> | null, AwsCallError>
  putSecretValue(secretId: string, value: Redacted.Redacted<string>): Effect.Effect<void, AwsCallError>
  deleteSecret(
    secretId: string,
    mode: { readonly recoveryWindowInDays: number } | "force"
  ): Effect.Effect<void, AwsCallError>
  restoreSecret(secretId: string): Effect.Effect<void, AwsCallError>
  describeSecret(secretId: string): Effect.Effect<SecretDescription, AwsCallError>
  tagResource(secretId: string, tags: ReadonlyArray<AwsTag>): Effect.Effect<void, AwsCallError>
}

const MAX_DETAIL = 300

interface ServiceErrorShape {
  readonly name: string
  readonly message: string
  readonly $fault: "client" | "server"
  readonly $metadata: { readonly httpStatusCode?: number | undefined }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const isServiceError = (u: unknown): u is ServiceErrorShape =>
  isRecord(u) &&
  typeof u.name === "string" &&
  typeof u.message === "string" &&
  (u.$fault === "client" || u.$fault === "server") &&
  isRecord(u.$metadata)

const statusOf = (u: unknown): number | null =>
  isRecord(u) && isRecord(u.$metadata) && typeof u.$metadata.httpStatusCode === "number"
    ? u.$metadata.httpStatusCode
    : null

/** Turns whatever the SDK threw into an AwsCallError, copying text only from modeled AWS error responses. */
const toAwsCallError = (operation: AwsOperation, cause: unknown): AwsCallError => {
  const status = statusOf(cause)
  if (isServiceError(cause)) {
    return new AwsCallError({
      operation,
      code: cause.name,
      status,
      fault: cause.$fault,
      detail: cause.message.slice(0, MAX_DETAIL)
    })
  }
  const name = isRecord(cause) && typeof cause.name === "string" ? cause.name : "Error"
  if (status !== null) {
    // An unparseable answer (an HTML 502 from a proxy, ...): its message may quote the body, so it is dropped.
    return new AwsCallError({
      operation,
      code: "HttpError",
      status,
      fault: status >= 500 ? "server" : "client",
      detail: `unreadable response (HTTP ${status})`
    })
  }
  if (name === "TimeoutError") {
    return new AwsCallError({ operation, code: "TimeoutError", status, fault: "network", detail: "request timed out" })
  }
  if (name === "CredentialsProviderError") {
    return new AwsCallError({
      operation,
      code: "CredentialsProviderError",
      status,
      fault: "client",
      detail: "no AWS credentials could be loaded"
    })
  }
  const code = isRecord(cause) && typeof cause.code === "string" ? cause.code : name
  return new AwsCallError({
    operation,
    code: "NetworkError",
    status,
    fault: "network",
    detail: `network error (${code})`
  })
}

const toAwsTags = (tags: ReadonlyArray<AwsTag>) => tags.map((tag) => ({ Key: tag.key, Value: tag.value }))

/** A Secrets Manager client for the lifetime of the enclosing scope. */
export const makeSecretsManagerApi = (options: SecretsManagerClientOptions) =>
  Effect.gen(function* () {
    const timeoutMs = Duration.toMillis(options.requestTimeout)
    const client = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new SecretsManagerClient({
            region: options.region,
            ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
            ...(options.credentials === undefined
              ? {}
              : {
                  credentials: {
                    accessKeyId: options.credentials.accessKeyId,
                    secretAccessKey: Redacted.value(options.credentials.secretAccessKey),
                    ...(options.credentials.sessionToken === undefined
                      ? {}
                      : { sessionToken: Redacted.value(options.credentials.sessionToken) })
                  }
                }),
            // The adapter owns the retry policy (throttling only, with backoff): one SDK attempt per call.
            maxAttempts: 1,
            requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs }
          })
      ),
      (client) => Effect.sync(() => client.destroy())
    )

    const send = <A>(operation: AwsOperation, run: (abortSignal: AbortSignal) => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (cause) => toAwsCallError(operation, cause) })

    const api: SecretsManagerApi = {
      createSecret: (input) =>
        send("CreateSecret", (abortSignal) =>
          client.send(
            new CreateSecretCommand({
              Name: input.name,
              SecretString: Redacted.value(input.value),
              Description: input.description,
              ...(input.kmsKeyId === null ? {} : { KmsKeyId: input.kmsKeyId }),
              Tags: toAwsTags(input.tags)
            }),
            { abortSignal }
          )
        ).pipe(Effect.map((out) => ({ arn: out.ARN ?? "", name: out.Name ?? input.name }))),

      getSecretValue: (secretId) =>
        send("GetSecretValue", (abortSignal) =>
          client.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal })
        ).pipe(Effect.map((out) => (out.SecretString === undefined ? null : Redacted.make(out.SecretString)))),

      putSecretValue: (secretId, value) =>
        send("PutSecretValue", (abortSignal) =>
          client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: Redacted.value(value) }), {
            abortSignal
          })
        ).pipe(Effect.asVoid),

      deleteSecret: (secretId, mode) =>
        send("DeleteSecret", (abortSignal) =>
          client.send(
            new DeleteSecretCommand(
              mode === "force"
                ? { SecretId: secretId, ForceDeleteWithoutRecovery: true }
                : { SecretId: secretId, RecoveryWindowInDays: mode.recoveryWindowInDays }
            ),
            { abortSignal }
          )
        ).pipe(Effect.asVoid),

      restoreSecret: (secretId) =>
        send("RestoreSecret", (abortSignal) =>
          client.send(new RestoreSecretCommand({ SecretId: secretId }), { abortSignal })
        ).pipe(Effect.asVoid),

      describeSecret: (secretId) =>
        send("DescribeSecret", (abortSignal) =>
          client.send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal })
        ).pipe(
          Effect.map(
            (out): SecretDescription => ({
              name: out.Name ?? secretId,
              arn: out.ARN ?? "",
              kmsKeyId: out.KmsKeyId ?? null,
              deletedDate: out.DeletedDate ?? null,
              tags: (out.Tags ?? []).map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" }))
            })
          )
        ),

      tagResource: (secretId, tags) =>
        send("TagResource", (abortSignal) =>
          client.send(new TagResourceCommand({ SecretId: secretId, Tags: toAwsTags(tags) }), { abortSignal })
        ).pipe(Effect.asVoid)
    }
    return api
  })
