import { randomUUID } from "node:crypto"
import { HttpResponse } from "msw"

/** AWS's JSON 1.1 protocol as Secrets Manager speaks it: one POST, the operation in `x-amz-target`. */
export const JSON_11 = "application/x-amz-json-1.1"

/** The account id in every ARN the emulator makes. */
export const EMULATOR_ACCOUNT_ID = "123456789012"

/** Timestamps travel as epoch seconds (with a fraction). */
export const epochSeconds = (date: Date) => date.getTime() / 1000

/** An error AWS answers with: `{"__type": type, "message": ...}` and the status. */
export class AwsError {
  constructor(
    readonly type: string,
    readonly message: string,
    readonly status = 400
  ) {}
}

export const awsJson = (body: unknown, status = 200): HttpResponse<string> =>
  new HttpResponse(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": randomUUID() }
  })

export const awsErrorResponse = (error: AwsError): HttpResponse<string> =>
  new HttpResponse(JSON.stringify({ __type: error.type, message: error.message }), {
    status: error.status,
    headers: { "content-type": JSON_11, "x-amzn-requestid": randomUUID(), "x-amzn-errortype": error.type }
  })

/** A request's JSON body. */
export interface Input {
  readonly [key: string]: unknown
}

export const stringField = (input: Input, field: string): string | undefined =>
  typeof input[field] === "string" ? (input[field] as string) : undefined

export const required = (input: Input, field: string): string => {
  const value = stringField(input, field)
  if (value === undefined || value.length === 0) {
    throw new AwsError("InvalidParameterException", `You must provide a value for the ${field} parameter.`)
  }
  return value
}

const MAX_SECRET_STRING = 65_536

export const secretString = (input: Input): string => {
  const value = stringField(input, "SecretString")
  if (value === undefined) throw new AwsError("InvalidParameterException", "You must provide SecretString.")
  if (value.length > MAX_SECRET_STRING) throw new AwsError("InvalidParameterException", "SecretString is too long.")
  return value
}

export const tagsFrom = (input: Input): ReadonlyArray<[string, string]> => {
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

/** The version a write creates: the caller's idempotency token, else a fresh one. */
export const versionOf = (input: Input) => stringField(input, "ClientRequestToken") ?? randomUUID()

/** The body as an object; a body that is not JSON is a SerializationException. */
export const parseInput = (body: string): Input | AwsError => {
  try {
    const parsed: unknown = JSON.parse(body === "" ? "{}" : body)
    return (typeof parsed === "object" && parsed !== null ? parsed : {}) as Input
  } catch {
    return new AwsError("SerializationException", "The request body is not valid JSON.")
  }
}
