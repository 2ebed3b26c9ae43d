import type { Context, MiddlewareHandler } from "hono"
import { edgeProblem } from "./problems.ts"

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * What is wrong with a body: the field whose name or value is not valid UTF-8 (null: the body as a whole).
 * @internal exported for its tests
 */
export type BodyFault = { readonly field: string | null } | null

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    strictUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/**
 * An urlencoded body: valid UTF-8 bytes, and every percent-escape decoding to valid UTF-8.
 * @internal exported for its tests
 */
export const urlEncodedFault = (bytes: Uint8Array): BodyFault => {
  if (!isUtf8(bytes)) return { field: null }
  for (const pair of strictUtf8.decode(bytes).split("&")) {
    const [rawName = "", ...rest] = pair.split("=")
    let name: string
    try {
      name = decodeURIComponent(rawName.replaceAll("+", " "))
    } catch {
      return { field: null }
    }
    try {
      decodeURIComponent(rest.join("=").replaceAll("+", " "))
    } catch {
      return { field: name.slice(0, 60) }
    }
  }
  return null
}

const indexOf = (haystack: Uint8Array, needle: Uint8Array, from: number): number =>
  Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from)

/**
 * A multipart/form-data body: each part's headers and value must be valid UTF-8 (the platform's own parser
 * would put U+FFFD in their place, silently altering a token). A body that is not well-formed is a fault too.
 */
const multipartFault = (bytes: Uint8Array, contentType: string): BodyFault => {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const mark = boundary?.[1] ?? boundary?.[2]
  if (mark === undefined) return { field: null }
  const delimiter = Buffer.from(`--${mark}`)
  const headerEnd = Buffer.from("\r\n\r\n")
  let at = indexOf(bytes, delimiter, 0)
  if (at < 0) return { field: null }
  for (;;) {
    const afterMark = at + delimiter.length
    if (bytes[afterMark] === 0x2d && bytes[afterMark + 1] === 0x2d) return null
    const headersStart = afterMark + 2
    const headersStop = indexOf(bytes, headerEnd, headersStart)
    if (headersStop < 0) return { field: null }
    const head = bytes.subarray(headersStart, headersStop)
    if (!isUtf8(head)) return { field: null }
    const name = /name="([^"]*)"/i.exec(strictUtf8.decode(head))?.[1] ?? ""
    const next = indexOf(bytes, Buffer.from(`\r\n--${mark}`), headersStop + 4)
    if (next < 0) return { field: null }
    if (!isUtf8(bytes.subarray(headersStop + 4, next))) return { field: name.slice(0, 60) }
    at = next + 2
  }
}

/** A JSON body's bytes; whether it parses is the route's to say. */
const jsonFault = (bytes: Uint8Array): BodyFault => (isUtf8(bytes) ? null : { field: null })

const faultOf = (c: Context, bytes: Uint8Array): BodyFault => {
  const type = (c.req.header("content-type") ?? "").toLowerCase()
  if (type.startsWith("application/x-www-form-urlencoded")) return urlEncodedFault(bytes)
  if (type.startsWith("multipart/form-data")) return multipartFault(bytes, c.req.header("content-type") ?? "")
  if (/^application\/(.+\+)?json\s*(;|$)/.test(type)) return jsonFault(bytes)
  return null
}

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"])

/**
 * One strict reading of every body the app accepts (urlencoded, multipart, JSON): a lossy decode would store
 * U+FFFD in place of what the person typed, so such a body is refused with 400, naming the field, before any
 * handler reads it.
 */
export const strictBodies: MiddlewareHandler = async (c, next) => {
  if (!WITH_BODY.has(c.req.method) || c.req.raw.body === null) return next()
  const fault = faultOf(c, new Uint8Array(await c.req.arrayBuffer()))
  if (fault === null) return next()
  const detail =
    fault.field === null ? "The body is not valid UTF-8." : `The field "${fault.field}" is not valid UTF-8.`
  return c.req.path.startsWith("/api/")
    ? edgeProblem(c, "MalformedBody", 400, detail, {
        body: fault.field === null ? {} : { errors: [{ field: fault.field, message: "Not valid UTF-8." }] }
      })
    : c.text(detail, 400)
}
