import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto"
import { delay, HttpResponse, http } from "msw"

/**
 * An in-memory emulation of AWS Secrets Manager's JSON 1.1 protocol for msw, so the real SDK runs in tests.
 * It verifies SigV4 signatures, keeps deletion-scheduling semantics, records every request, and takes fault
 * switches (throttling, access denied, outages, slow answers) per operation.
 */

export const EMULATOR_ACCOUNT_ID = "123456789012"

/** Fake static credentials the emulator accepts (AWS's documented example key pair). */
export const FAKE_AWS_CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
} as const

export type SecretsManagerOperation =
  | "CreateSecret"
  | "GetSecretValue"
  | "PutSecretValue"
  | "DeleteSecret"
  | "RestoreSecret"
  | "DescribeSecret"
  | "TagResource"

export type SecretsManagerFault =
  /** 400 ThrottlingException "Rate exceeded". */
  | "throttling"
  /** 429 TooManyRequestsException. */
  | "too_many_requests"
  /** 400 AccessDeniedException, an IAM denial. */
  | "access_denied"
  /** 400 UnrecognizedClientException, an unknown or revoked access key. */
  | "unrecognized_client"
  /** 400 AccessDeniedException about the KMS key (EncryptionFailure / DecryptionFailure for writes / reads). */
  | "kms_access_denied"
  /** 500 InternalServiceError. */
  | "internal_error"
  /** 503 with an HTML body, as a load balancer in the way would answer. */
  | "http_503"
  /** The connection fails (msw `HttpResponse.error()`). */
  | "network"
  /** Answers only after `slowMs` (see `injectFault`). */
  | "slow"

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

export interface RecordedRequest {
  /** The operation named by `x-amz-target`, or the raw header. */
  readonly operation: string
  readonly body: string
  /** How the emulator answered. */
  readonly status: number
  readonly errorType: string | null
}

interface Fault {
  readonly fault: SecretsManagerFault
  readonly operation: SecretsManagerOperation | null
  remaining: number
  readonly slowMs: number
}

export interface SecretsManagerEmulatorOptions {
  readonly region?: string | undefined
  /** The endpoint the SDK is pointed at; default the regional `https://secretsmanager.<region>.amazonaws.com`. */
  readonly endpoint?: string | undefined
  /** Access keys the emulator accepts, with the secret key it verifies signatures against. */
  readonly credentials?: ReadonlyArray<{ readonly accessKeyId: string; readonly secretAccessKey: string }> | undefined
}

export interface SecretsManagerEmulator {
  readonly region: string
  readonly endpoint: string
  /** Pass to `setupServer(...emulator.handlers)`. */
  readonly handlers: ReadonlyArray<ReturnType<typeof http.post>>
  /** Every secret, scheduled-for-deletion ones included, by name. */
  readonly secrets: ReadonlyMap<string, StoredSecret>
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Makes the next `times` matching requests (default: all) fail with `fault`. */
  injectFault(
    fault: SecretsManagerFault,
    options?: {
      readonly operation?: SecretsManagerOperation | undefined
      readonly times?: number | undefined
      readonly slowMs?: number | undefined
    }
  ): void
  clearFaults(): void
  /** Forgets secrets, recorded requests and faults. */
  reset(): void
}

const JSON_11 = "application/x-amz-json-1.1"
const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]{1,512}$/
const MAX_SECRET_STRING = 65_536
const CLOCK_SKEW_MS = 15 * 60 * 1000

const epochSeconds = (date: Date) => date.getTime() / 1000

const awsJson = (body: unknown, status = 200): HttpResponse<string> =>
  new HttpResponse(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": randomUUID() }
  })

class AwsError {
  constructor(
    readonly type: string,
    readonly message: string,
    readonly status = 400
  ) {}
}

const awsErrorResponse = (error: AwsError): HttpResponse<string> =>
  new HttpResponse(JSON.stringify({ __type: error.type, message: error.message }), {
    status: error.status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": randomUUID(), "x-amzn-errortype": error.type }
  })

const notFound = () => new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
const markedForDeletion = () =>
  new AwsError(
    "InvalidRequestException",
    "You can't perform this operation on the secret because it was marked for deletion."
  )

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex")
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest()

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

/** Checks a SigV4 signature the way AWS does; returns the AWS error to answer, or null when it is valid. */
const verifySignature = (
  request: Request,
  body: string,
  region: string,
  keys: ReadonlyMap<string, string>
): AwsError | null => {
  const authorization = request.headers.get("authorization")
  const amzDate = request.headers.get("x-amz-date")
  if (authorization === null) return new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token")
  const match = AUTHORIZATION.exec(authorization)
  if (match === null || amzDate === null || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return new AwsError("IncompleteSignatureException", "Authorization header or x-amz-date is malformed.")
  }
  const [, accessKeyId, date, scopeRegion, service, signedHeaders, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string
  ]
  const secretAccessKey = keys.get(accessKeyId)
  if (secretAccessKey === undefined) {
    return new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.")
  }
  if (date !== amzDate.slice(0, 8) || scopeRegion !== region || service !== "secretsmanager") {
    return new AwsError("InvalidSignatureException", "Credential should be scoped to a valid region and service.")
  }
  const signedAt = Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15))
  )
  if (Math.abs(Date.now() - signedAt) > CLOCK_SKEW_MS) {
    return new AwsError("InvalidSignatureException", "Signature expired.")
  }
  const names = signedHeaders.split(";")
  if (!names.includes("host") || !names.includes("x-amz-date")) {
    return new AwsError("InvalidSignatureException", "Host and x-amz-date must be signed.")
  }
  const url = new URL(request.url)
  const headerValue = (name: string) =>
    name === "host" ? (request.headers.get("host") ?? url.host) : (request.headers.get(name) ?? "")
  const payloadHash = sha256Hex(body)
  const declaredHash = request.headers.get("x-amz-content-sha256")
  if (declaredHash !== null && declaredHash !== payloadHash) {
    return new AwsError("InvalidSignatureException", "The provided x-amz-content-sha256 does not match the body.")
  }
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join("&")
  const canonicalRequest = [
    request.method,
    url.pathname || "/",
    query,
    ...names.map((name) => `${name}:${headerValue(name).trim().replace(/\s+/g, " ")}`),
    "",
    signedHeaders,
    payloadHash
  ].join("\n")
  const scope = `${date}/${region}/secretsmanager/aws4_request`
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n")
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), "secretsmanager"), "aws4_request")
  const expected = createHmac("sha256", signingKey).update(stringToSign).digest("hex")
  if (expected !== signature) {
    return new AwsError(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided."
    )
  }
  return null
}

const faultResponse = (fault: SecretsManagerFault, operation: string): HttpResponse<string> | null => {
  switch (fault) {
    case "throttling":
      return awsErrorResponse(new AwsError("ThrottlingException", "Rate exceeded"))
    case "too_many_requests":
      return awsErrorResponse(new AwsError("TooManyRequestsException", "Too many requests", 429))
    case "access_denied":
      return awsErrorResponse(
        new AwsError(
          "AccessDeniedException",
          `User: arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/app is not authorized to perform: secretsmanager:${operation} because no identity-based policy allows the secretsmanager:${operation} action`
        )
      )
    case "unrecognized_client":
      return awsErrorResponse(
        new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.")
      )
    case "kms_access_denied":
      if (operation === "CreateSecret" || operation === "PutSecretValue") {
        return awsErrorResponse(
          new AwsError(
            "EncryptionFailure",
            "Secrets Manager can't encrypt the protected secret text using the provided KMS key."
          )
        )
      }
      if (operation === "GetSecretValue") {
        return awsErrorResponse(
          new AwsError(
            "DecryptionFailure",
            "Secrets Manager can't decrypt the protected secret text using the provided KMS key."
          )
        )
      }
      return awsErrorResponse(new AwsError("AccessDeniedException", "Access to KMS is not allowed"))
    case "internal_error":
      return awsErrorResponse(new AwsError("InternalServiceError", "An error occurred on the server side.", 500))
    case "http_503":
      return new HttpResponse<string>("<html><body>503 Service Temporarily Unavailable</body></html>", {
        status: 503,
        headers: { "content-type": "text/html" }
      })
    case "network":
      return HttpResponse.error()
    case "slow":
      return null
  }
}

interface Input {
  readonly [key: string]: unknown
}

const stringField = (input: Input, field: string): string | undefined =>
  typeof input[field] === "string" ? (input[field] as string) : undefined

export const makeSecretsManagerEmulator = (options: SecretsManagerEmulatorOptions = {}): SecretsManagerEmulator => {
  const region = options.region ?? "eu-west-1"
  const endpoint = (options.endpoint ?? `https://secretsmanager.${region}.amazonaws.com`).replace(/\/+$/, "")
  const keys = new Map((options.credentials ?? [FAKE_AWS_CREDENTIALS]).map((c) => [c.accessKeyId, c.secretAccessKey]))
  const secrets = new Map<string, StoredSecret>()
  const requests: Array<RecordedRequest> = []
  let faults: Array<Fault> = []

  const find = (secretId: string | undefined): StoredSecret | undefined => {
    if (secretId === undefined) return undefined
    const byName = secrets.get(secretId)
    if (byName !== undefined) return byName
    for (const secret of secrets.values()) if (secret.arn === secretId) return secret
    return undefined
  }

  const required = (input: Input, field: string): string => {
    const value = stringField(input, field)
    if (value === undefined || value.length === 0) {
      throw new AwsError("InvalidParameterException", `You must provide a value for the ${field} parameter.`)
    }
    return value
  }

  const secretString = (input: Input): string => {
    const value = stringField(input, "SecretString")
    if (value === undefined) throw new AwsError("InvalidParameterException", "You must provide SecretString.")
    if (value.length > MAX_SECRET_STRING) throw new AwsError("InvalidParameterException", "SecretString is too long.")
    return value
  }

  const live = (input: Input): StoredSecret => {
    const secret = find(stringField(input, "SecretId"))
    if (secret === undefined) throw notFound()
    if (secret.deletedAt !== null) throw markedForDeletion()
    return secret
  }

  const tagsFrom = (input: Input): ReadonlyArray<[string, string]> => {
    const tags = input.Tags
    if (tags === undefined) return []
    if (!Array.isArray(tags)) throw new AwsError("InvalidParameterException", "Tags must be a list.")
    return tags.map((tag: unknown) => {
      const record = (typeof tag === "object" && tag !== null ? tag : {}) as Input
      const key = stringField(record, "Key")
      const value = stringField(record, "Value")
      if (key === undefined || value === undefined || key.startsWith("aws:")) {
        throw new AwsError("InvalidParameterException", "Each tag needs a Key and a Value; aws: is reserved.")
      }
      return [key, value]
    })
  }

  const versionOf = (input: Input) => stringField(input, "ClientRequestToken") ?? randomUUID()

  const operations: Record<SecretsManagerOperation, (input: Input) => unknown> = {
    CreateSecret: (input) => {
      const name = required(input, "Name")
      if (!NAME_CHARS.test(name)) throw new AwsError("InvalidParameterException", "Invalid name.")
      const existing = secrets.get(name)
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
        arn: `arn:aws:secretsmanager:${region}:${EMULATOR_ACCOUNT_ID}:secret:${name}-${suffix}`,
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
      secrets.set(name, secret)
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId }
    },

    GetSecretValue: (input) => {
      const secret = live(input)
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.value,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: epochSeconds(secret.lastChangedAt)
      }
    },

    PutSecretValue: (input) => {
      const secret = live(input)
      secret.value = secretString(input)
      secret.versionId = versionOf(input)
      secret.lastChangedAt = new Date()
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ["AWSCURRENT"] }
    },

    DeleteSecret: (input) => {
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
      const secret = find(stringField(input, "SecretId"))
      if (secret === undefined) throw notFound()
      const now = new Date()
      if (force) {
        secrets.delete(secret.name)
        return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) }
      }
      if (secret.deletedAt !== null) throw markedForDeletion()
      secret.deletedAt = now
      secret.deletionDate = new Date(now.getTime() + days * 24 * 60 * 60 * 1000)
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletionDate) }
    },

    RestoreSecret: (input) => {
      const secret = find(stringField(input, "SecretId"))
      if (secret === undefined) throw notFound()
      secret.deletedAt = null
      secret.deletionDate = null
      return { ARN: secret.arn, Name: secret.name }
    },

    DescribeSecret: (input) => {
      const secret = find(stringField(input, "SecretId"))
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
    },

    TagResource: (input) => {
      const secret = live(input)
      for (const [key, value] of tagsFrom(input)) secret.tags.set(key, value)
      return {}
    }
  }

  const takeFault = (operation: string): Fault | null => {
    const fault = faults.find((f) => f.remaining > 0 && (f.operation === null || f.operation === operation))
    if (fault === undefined) return null
    fault.remaining -= 1
    return fault
  }

  const isOperation = (name: string): name is SecretsManagerOperation => Object.hasOwn(operations, name)

  // A slow answer can outlive its test: what it records after a reset belongs to no one.
  let generation = 0

  const handler = http.post(`${endpoint}/`, async ({ request }) => {
    const startedIn = generation
    const body = await request.text()
    const target = request.headers.get("x-amz-target") ?? ""
    const operation = target.startsWith("secretsmanager.") ? target.slice("secretsmanager.".length) : target
    const answer = async (): Promise<HttpResponse<string>> => {
      const signatureError = verifySignature(request, body, region, keys)
      if (signatureError !== null) return awsErrorResponse(signatureError)
      if (!(request.headers.get("content-type") ?? "").startsWith(JSON_11)) {
        return awsErrorResponse(new AwsError("SerializationException", "Expected application/x-amz-json-1.1."))
      }
      if (!isOperation(operation)) {
        return awsErrorResponse(new AwsError("UnknownOperationException", `Unknown operation ${target}.`))
      }
      const fault = takeFault(operation)
      if (fault !== null) {
        if (fault.fault === "slow") await delay(fault.slowMs)
        else return faultResponse(fault.fault, operation) ?? awsJson({})
      }
      let input: Input
      try {
        const parsed: unknown = JSON.parse(body === "" ? "{}" : body)
        input = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Input
      } catch {
        return awsErrorResponse(new AwsError("SerializationException", "The request body is not valid JSON."))
      }
      try {
        return awsJson(operations[operation](input))
      } catch (error) {
        if (error instanceof AwsError) return awsErrorResponse(error)
        throw error
      }
    }
    const response = await answer()
    if (startedIn !== generation) return response
    requests.push({
      operation,
      body,
      status: response.type === "error" ? 0 : response.status,
      errorType: response.headers.get("x-amzn-errortype")
    })
    return response
  })

  return {
    region,
    endpoint,
    handlers: [handler],
    secrets,
    requests,
    injectFault: (fault, faultOptions) => {
      faults.push({
        fault,
        operation: faultOptions?.operation ?? null,
        remaining: faultOptions?.times ?? Number.POSITIVE_INFINITY,
        slowMs: faultOptions?.slowMs ?? 10_000
      })
    },
    clearFaults: () => {
      faults = []
    },
    reset: () => {
      generation += 1
      secrets.clear()
      requests.length = 0
      faults = []
    }
  }
}
