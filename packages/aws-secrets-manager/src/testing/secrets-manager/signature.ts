import { createHash, createHmac } from "node:crypto"
import { AwsError } from "./protocol.ts"

/** Fake static credentials the emulator accepts (AWS's documented example key pair). */
export const FAKE_AWS_CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
} as const

const CLOCK_SKEW_MS = 15 * 60 * 1000

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex")
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest()

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

/** Checks a SigV4 signature the way AWS does; returns the AWS error to answer, or null when it is valid. */
export const verifySignature = (
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
