import { delay, type HttpResponse, http } from "msw"
import { type FaultOptions, faultResponse, makeFaults, type SecretsManagerFault } from "./faults.ts"
import { isOperation, OPERATIONS } from "./operations/index.ts"
import { AwsError, awsErrorResponse, awsJson, JSON_11, parseInput } from "./protocol.ts"
import { FAKE_AWS_CREDENTIALS, verifySignature } from "./signature.ts"
import { makeSecretsState, type StoredSecret } from "./state.ts"

/**
 * An in-memory emulation of AWS Secrets Manager's JSON 1.1 protocol for msw, so the real SDK runs in tests.
 * It verifies SigV4 signatures, keeps deletion-scheduling semantics, records every request, and takes fault
 * switches (throttling, access denied, outages, slow answers) per operation.
 */

export type { SecretsManagerFault } from "./faults.ts"
export type { SecretsManagerOperation } from "./operations/index.ts"
export { FAKE_AWS_CREDENTIALS } from "./signature.ts"

interface RecordedRequest {
  /** The operation named by `x-amz-target`, or the raw header. */
  readonly operation: string
  readonly body: string
  /** How the emulator answered. */
  readonly status: number
  readonly errorType: string | null
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
  injectFault(fault: SecretsManagerFault, options?: FaultOptions): void
  clearFaults(): void
  /** Forgets secrets, recorded requests and faults. */
  reset(): void
}

export const makeSecretsManagerEmulator = (options: SecretsManagerEmulatorOptions = {}): SecretsManagerEmulator => {
  const region = options.region ?? "eu-west-1"
  const endpoint = (options.endpoint ?? `https://secretsmanager.${region}.amazonaws.com`).replace(/\/+$/, "")
  const keys = new Map((options.credentials ?? [FAKE_AWS_CREDENTIALS]).map((c) => [c.accessKeyId, c.secretAccessKey]))
  const state = makeSecretsState(region)
  const faults = makeFaults()
  const requests: Array<RecordedRequest> = []

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
      const fault = faults.take(operation)
      if (fault !== null) {
        if (fault.fault === "slow") await delay(fault.slowMs)
        else return faultResponse(fault.fault, operation) ?? awsJson({})
      }
      const input = parseInput(body)
      if (input instanceof AwsError) return awsErrorResponse(input)
      try {
        return awsJson(OPERATIONS[operation](state, input))
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
    secrets: state.secrets,
    requests,
    injectFault: faults.inject,
    clearFaults: faults.clear,
    reset: () => {
      generation += 1
      state.secrets.clear()
      requests.length = 0
      faults.clear()
    }
  }
}
