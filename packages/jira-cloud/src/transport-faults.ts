/** Why a request got no HTTP answer; each reason has its own message (adr/0020). */
export type FaultReason = "network" | "timeout" | "dns" | "refused" | "tls"

const DNS_CODES: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA", "EAI_FAIL"])
const TLS_CODES: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH"
])

const codeOf = (value: unknown): string | null =>
  typeof value === "object" && value !== null && "code" in value && typeof value.code === "string" ? value.code : null

const causeOf = (value: unknown): unknown =>
  typeof value === "object" && value !== null && "cause" in value ? value.cause : undefined

/** Reads Node's `cause.code` anywhere down the cause chain (fetch wraps it in "fetch failed"). */
export const faultReasonOf = (error: unknown): FaultReason => {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current)
    if (code !== null) {
      if (DNS_CODES.has(code)) return "dns"
      if (code === "ECONNREFUSED") return "refused"
      if (TLS_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) return "tls"
    }
    current = causeOf(current)
  }
  return "network"
}
