/** Opaque `nextPageToken`s: base64url of JSON holding a hash of the JQL, the offset and the time of issue. */

const TOKEN_LIFETIME_MS = 7 * 86_400_000

/** 53-bit FNV-1a-style hash, as hex: stable across processes, so a token survives a restart. */
export const hashText = (text: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16)
}

interface TokenBody {
  readonly q: string
  readonly o: number
  readonly t: number
}

export const encodePageToken = (jql: string, offset: number, issuedAt: number): string =>
  Buffer.from(JSON.stringify({ q: hashText(jql), o: offset, t: issuedAt } satisfies TokenBody)).toString("base64url")

export type TokenCheck =
  | { readonly ok: true; readonly offset: number }
  | { readonly ok: false; readonly message: string }

/** @internal not used by production code: for tests and test support */
export const INVALID_TOKEN_MESSAGE = "The provided next page token is invalid or expired."

export const decodePageToken = (token: string, jql: string, now: number): TokenCheck => {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
  } catch {
    return { ok: false, message: INVALID_TOKEN_MESSAGE }
  }
  if (typeof body !== "object" || body === null) return { ok: false, message: INVALID_TOKEN_MESSAGE }
  const { q, o, t } = body as Partial<Record<keyof TokenBody, unknown>>
  if (typeof q !== "string" || typeof o !== "number" || typeof t !== "number" || !Number.isInteger(o) || o < 0) {
    return { ok: false, message: INVALID_TOKEN_MESSAGE }
  }
  if (q !== hashText(jql)) return { ok: false, message: "The next page token does not belong to this query." }
  if (now - t > TOKEN_LIFETIME_MS) return { ok: false, message: INVALID_TOKEN_MESSAGE }
  return { ok: true, offset: o }
}
