import { HttpResponse } from "msw"
import type { SecretsManagerOperation } from "./operations/index.ts"
import { AwsError, awsErrorResponse, EMULATOR_ACCOUNT_ID } from "./protocol.ts"

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

export interface FaultOptions {
  readonly operation?: SecretsManagerOperation | undefined
  readonly times?: number | undefined
  readonly slowMs?: number | undefined
}

interface ArmedFault {
  readonly fault: SecretsManagerFault
  readonly operation: SecretsManagerOperation | null
  remaining: number
  readonly slowMs: number
}

/** The armed faults: each matching request takes one until its count runs out. */
export const makeFaults = () => {
  let armed: Array<ArmedFault> = []
  return {
    inject: (fault: SecretsManagerFault, options?: FaultOptions) => {
      armed.push({
        fault,
        operation: options?.operation ?? null,
        remaining: options?.times ?? Number.POSITIVE_INFINITY,
        slowMs: options?.slowMs ?? 10_000
      })
    },
    take: (operation: SecretsManagerOperation): ArmedFault | null => {
      const fault = armed.find((f) => f.remaining > 0 && (f.operation === null || f.operation === operation))
      if (fault === undefined) return null
      fault.remaining -= 1
      return fault
    },
    clear: () => {
      armed = []
    }
  }
}

/** What AWS (or what stands in front of it) answers for the fault; null for `slow`, which only delays. */
export const faultResponse = (fault: SecretsManagerFault, operation: string): HttpResponse<string> | null => {
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
