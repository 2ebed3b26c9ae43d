import { SecretNotFound, type SecretOwner, SecretRef, SecretStore, SecretStoreError } from "@sciple/jira-core"
import { Config, Duration, Effect, Layer, Option, type Redacted, Schedule, Schema } from "effect"
import {
  type AwsCallError,
  type AwsStaticCredentials,
  type AwsTag,
  makeSecretsManagerApi,
  type SecretsManagerApi
} from "./secrets-manager.client.ts"

/**
 * The SecretStore port on AWS Secrets Manager. One secret per credential, named
 * `<prefix>/workspaces/<workspaceId>/credentials/<credentialId>` and tagged with both ids; the ref handed back
 * is that name. Throttling is retried here (bounded exponential backoff with jitter); every other AWS failure
 * becomes one of core's typed secret errors.
 */

export const DEFAULT_PREFIX = "sciple/jira"
export const DEFAULT_RECOVERY_WINDOW_DAYS = 30
export const TAG_WORKSPACE_ID = "sciple:workspace-id"
export const TAG_CREDENTIAL_ID = "sciple:credential-id"

export interface RetryPolicy {
  /** First backoff; each retry doubles it, then ±20 % jitter. */
  readonly baseDelay: Duration.Input
  /** No single wait is longer than this. */
  readonly maxDelay: Duration.Input
  /** Retries after the first attempt; the call is made at most `maxRetries + 1` times. */
  readonly maxRetries: number
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelay: "100 millis", maxDelay: "2 seconds", maxRetries: 4 }

export interface SecretStoreAwsConfig {
  readonly region: string
  /** Overrides the regional endpoint: LocalStack, a VPC interface endpoint. */
  readonly endpoint?: string | undefined
  /** Customer managed KMS key for new secrets; AWS's `aws/secretsmanager` key when absent. */
  readonly kmsKeyId?: string | undefined
  /** Default `sciple/jira`. */
  readonly prefix?: string | undefined
  /** A recovery window of 7-30 days (default 30), or `"force"` to delete without recovery. */
  readonly deletion?: { readonly recoveryWindowDays: number } | "force" | undefined
  /** Static credentials (tests, LocalStack); the SDK's default provider chain when absent. */
  readonly credentials?: AwsStaticCredentials | undefined
  /** Per request, for connecting and for the answer each. Default 5 seconds. */
  readonly requestTimeout?: Duration.Input | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
}

/** The configuration cannot work; the message names the setting and what is expected, never a secret. */
export class SecretStoreAwsConfigError extends Schema.TaggedError<SecretStoreAwsConfigError>()(
  "SecretStoreAwsConfigError",
  { setting: Schema.String, problem: Schema.String }
) {
  override get message() {
    return `AWS Secrets Manager configuration: ${this.setting} ${this.problem}`
  }
}

interface ResolvedConfig {
  readonly region: string
  readonly endpoint: string | undefined
  readonly kmsKeyId: string | null
  readonly prefix: string
  readonly deletion: { readonly recoveryWindowInDays: number } | "force"
  readonly credentials: AwsStaticCredentials | undefined
  readonly requestTimeout: Duration.Duration
  readonly retry: RetryPolicy
}

const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]+$/
const MAX_PREFIX = 256

const resolveConfig = (config: SecretStoreAwsConfig): Effect.Effect<ResolvedConfig, SecretStoreAwsConfigError> =>
  Effect.gen(function* () {
    const invalid = (setting: string, problem: string) =>
      Effect.fail(new SecretStoreAwsConfigError({ setting, problem }))
    const region = config.region.trim()
    if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region)) {
      return yield* invalid("region", "must be an AWS region such as eu-west-1.")
    }
    const endpoint = config.endpoint?.trim() || undefined
    if (endpoint !== undefined && !/^https?:$/.test(URL.parse(endpoint)?.protocol ?? "")) {
      return yield* invalid("endpoint", "must be an absolute URL such as http://localhost:4566.")
    }
    const prefix = (config.prefix ?? DEFAULT_PREFIX).trim().replace(/^\/+|\/+$/g, "")
    if (prefix.length === 0 || prefix.length > MAX_PREFIX || !NAME_CHARS.test(prefix)) {
      return yield* invalid(
        "prefix",
        `must be 1-${MAX_PREFIX} characters of letters, digits and / _ + = . @ - (secret name rules).`
      )
    }
    const deletion = config.deletion ?? { recoveryWindowDays: DEFAULT_RECOVERY_WINDOW_DAYS }
    if (deletion !== "force") {
      const days = deletion.recoveryWindowDays
      if (!Number.isInteger(days) || days < 7 || days > 30) {
        return yield* invalid("recovery window", "must be a whole number of days from 7 to 30, or force.")
      }
    }
    const retry = { ...DEFAULT_RETRY, ...config.retry }
    if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0 || retry.maxRetries > 10) {
      return yield* invalid("retry.maxRetries", "must be a whole number from 0 to 10.")
    }
    return {
      region,
      endpoint,
      kmsKeyId: config.kmsKeyId?.trim() || null,
      prefix,
      deletion: deletion === "force" ? "force" : { recoveryWindowInDays: deletion.recoveryWindowDays },
      credentials: config.credentials,
      requestTimeout: Duration.fromInputUnsafe(config.requestTimeout ?? "5 seconds"),
      retry
    }
  })

/** The secret name of one credential's token. */
export const secretName = (prefix: string, owner: SecretOwner): string =>
  `${prefix}/workspaces/${owner.workspaceId}/credentials/${owner.credentialId}`

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException"
])

// Signing, identity and KMS failures: the caller's IAM/KMS setup is wrong, retrying will not help.
const ACCESS_DENIED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "ExpiredToken",
  "ExpiredTokenException",
  "NotAuthorized",
  "CredentialsProviderError",
  "EncryptionFailure",
  "DecryptionFailure",
  "KMSAccessDeniedException",
  "KMSDisabledException",
  "KMSInvalidStateException",
  "KMSNotFoundException"
])

const isThrottled = (error: AwsCallError) => THROTTLING.has(error.code) || error.status === 429

const describeFailure = (error: AwsCallError) =>
  `${error.operation}: ${error.code}${error.status === null ? "" : ` (HTTP ${error.status})`}: ${error.detail}`

/** Maps what the retries left over to core's SecretStoreError. */
const toStoreError = (error: AwsCallError): SecretStoreError => {
  const reason = isThrottled(error)
    ? "throttled"
    : ACCESS_DENIED.has(error.code)
      ? "access_denied"
      : // 5xx, InternalServiceError, network and timeouts, and client errors nothing here can fix.
        "unavailable"
  return new SecretStoreError({ reason, detail: describeFailure(error) })
}

/** Bounded exponential backoff with jitter, for throttled calls only. */
export const throttleSchedule = (policy: RetryPolicy) => {
  const maxDelay = Duration.fromInputUnsafe(policy.maxDelay)
  return Schedule.exponential(policy.baseDelay).pipe(
    Schedule.jittered,
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, maxDelay))),
    Schedule.upTo({ times: policy.maxRetries })
  )
}

const withThrottleRetry =
  (policy: RetryPolicy) =>
  <A>(call: Effect.Effect<A, AwsCallError>): Effect.Effect<A, AwsCallError> =>
    call.pipe(
      Effect.tapError((error) =>
        isThrottled(error)
          ? Effect.logWarning("Secrets Manager throttled a request").pipe(
              Effect.annotateLogs({ operation: error.operation, code: error.code })
            )
          : Effect.void
      ),
      Effect.retry({ schedule: throttleSchedule(policy), while: isThrottled })
    )

const notFound = (ref: string) => new SecretNotFound({ ref })

/** Builds the port on a Secrets Manager API. */
const make = (config: ResolvedConfig, api: SecretsManagerApi) => {
  const retried = withThrottleRetry(config.retry)
  const tagsOf = (owner: SecretOwner): ReadonlyArray<AwsTag> => [
    { key: TAG_WORKSPACE_ID, value: owner.workspaceId },
    { key: TAG_CREDENTIAL_ID, value: owner.credentialId }
  ]

  /** The name is taken: reuse that secret, restoring it first when it is scheduled for deletion. */
  const overwrite = (name: string, owner: SecretOwner, value: Redacted.Redacted<string>, createError: AwsCallError) =>
    Effect.gen(function* () {
      const existing = yield* retried(api.describeSecret(name)).pipe(
        // No secret of that name after all: the original error is the one to report.
        Effect.catchIf(
          (error) => error.code === "ResourceNotFoundException",
          () => Effect.fail(createError)
        )
      )
      // CreateSecret answers InvalidRequestException for a name whose secret awaits deletion; for anything else it is a real error.
      if (createError.code === "InvalidRequestException" && existing.deletedDate === null) {
        return yield* Effect.fail(createError)
      }
      if (existing.deletedDate !== null) {
        yield* Effect.logInfo("Restoring a secret scheduled for deletion to reuse its name")
        yield* retried(api.restoreSecret(name))
      }
      yield* retried(api.putSecretValue(name, value))
      yield* retried(api.tagResource(name, tagsOf(owner)))
    })

  const put = Effect.fn("SecretStoreAws.put")(function* (owner: SecretOwner, value: Redacted.Redacted<string>) {
    const name = secretName(config.prefix, owner)
    yield* retried(
      api.createSecret({
        name,
        value,
        description: `Jira API token of credential ${owner.credentialId} in workspace ${owner.workspaceId}`,
        kmsKeyId: config.kmsKeyId,
        tags: tagsOf(owner)
      })
    ).pipe(
      Effect.catchIf(
        (error) => error.code === "ResourceExistsException" || error.code === "InvalidRequestException",
        (error) => overwrite(name, owner, value, error)
      ),
      Effect.mapError(toStoreError)
    )
    return SecretRef.make(name)
  })

  const get = Effect.fn("SecretStoreAws.get")(function* (ref: SecretRef) {
    const value = yield* retried(api.getSecretValue(ref)).pipe(
      Effect.mapError((error) =>
        // InvalidRequestException here means "marked for deletion": to the caller that secret is gone.
        error.code === "ResourceNotFoundException" || error.code === "InvalidRequestException"
          ? notFound(ref)
          : toStoreError(error)
      )
    )
    if (value === null) {
      return yield* new SecretStoreError({ reason: "integrity", detail: "GetSecretValue: the secret holds no string" })
    }
    return value
  })

  const rotate = Effect.fn("SecretStoreAws.rotate")(function* (ref: SecretRef, value: Redacted.Redacted<string>) {
    yield* retried(api.putSecretValue(ref, value)).pipe(
      Effect.mapError((error) =>
        error.code === "ResourceNotFoundException" || error.code === "InvalidRequestException"
          ? notFound(ref)
          : toStoreError(error)
      )
    )
  })

  const remove = Effect.fn("SecretStoreAws.delete")(function* (ref: SecretRef) {
    yield* retried(api.deleteSecret(ref, config.deletion)).pipe(
      Effect.catchIf(
        (error) => error.code === "ResourceNotFoundException",
        () => Effect.void
      ),
      // Deleting a secret already scheduled for deletion answers InvalidRequestException: it is deleted already.
      Effect.catchIf(
        (error) => error.code === "InvalidRequestException",
        (error) =>
          retried(api.describeSecret(ref)).pipe(
            Effect.flatMap((existing) => (existing.deletedDate === null ? Effect.fail(error) : Effect.void)),
            Effect.catchIf(
              (described) => described.code === "ResourceNotFoundException",
              () => Effect.void
            )
          )
      ),
      Effect.mapError(toStoreError)
    )
  })

  // The ref is the secret's name, which the naming scheme fixes before the secret exists.
  return SecretStore.of({
    refFor: (owner) => SecretRef.make(secretName(config.prefix, owner)),
    put,
    get,
    rotate,
    delete: remove
  })
}

/** The SecretStore on AWS Secrets Manager; the SDK client lives as long as the layer. */
export const layer = (config: SecretStoreAwsConfig): Layer.Layer<SecretStore, SecretStoreAwsConfigError> =>
  Layer.effect(
    SecretStore,
    Effect.gen(function* () {
      const resolved = yield* resolveConfig(config)
      const api = yield* makeSecretsManagerApi({
        region: resolved.region,
        endpoint: resolved.endpoint,
        credentials: resolved.credentials,
        requestTimeout: resolved.requestTimeout
      })
      return make(resolved, api)
    })
  )

const optionalString = (name: string) =>
  Config.String(name).pipe(
    Config.option,
    Config.map(Option.flatMap((value) => (value.trim() === "" ? Option.none() : Option.some(value.trim()))))
  )

/** `SECRETS_AWS_RECOVERY_DAYS`: a number of days from 7 to 30, or `force`. */
const parseDeletion = (value: string): SecretStoreAwsConfig["deletion"] | null => {
  if (value.toLowerCase() === "force") return "force"
  if (!/^\d+$/.test(value)) return null
  return { recoveryWindowDays: Number(value) }
}

/**
 * Reads `AWS_REGION` (or `AWS_DEFAULT_REGION`), `SECRETS_AWS_ENDPOINT`, `SECRETS_AWS_KMS_KEY_ID`,
 * `SECRETS_AWS_PREFIX` and `SECRETS_AWS_RECOVERY_DAYS` (7-30 or `force`). Credentials come from the SDK's
 * default provider chain.
 */
export const layerConfig: Layer.Layer<SecretStore, SecretStoreAwsConfigError | Config.ConfigError> = Layer.unwrap(
  Effect.gen(function* () {
    const region = yield* Config.String("AWS_REGION").pipe(Config.orElse(() => Config.String("AWS_DEFAULT_REGION")))
    const endpoint = yield* optionalString("SECRETS_AWS_ENDPOINT")
    const kmsKeyId = yield* optionalString("SECRETS_AWS_KMS_KEY_ID")
    const prefix = yield* optionalString("SECRETS_AWS_PREFIX")
    const recovery = yield* optionalString("SECRETS_AWS_RECOVERY_DAYS")
    const deletion = Option.map(recovery, parseDeletion)
    if (Option.isSome(deletion) && deletion.value === null) {
      return yield* new SecretStoreAwsConfigError({
        setting: "SECRETS_AWS_RECOVERY_DAYS",
        problem: "must be a whole number of days from 7 to 30, or force."
      })
    }
    return layer({
      region,
      endpoint: Option.getOrUndefined(endpoint),
      kmsKeyId: Option.getOrUndefined(kmsKeyId),
      prefix: Option.getOrUndefined(prefix),
      deletion: Option.getOrUndefined(deletion) ?? undefined
    })
  })
)
