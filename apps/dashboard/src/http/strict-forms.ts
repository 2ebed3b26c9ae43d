import type { MiddlewareHandler } from "hono"

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/** Whether every name and value of an urlencoded body decodes to valid UTF-8. */
export const isValidUrlEncoded = (bytes: ArrayBuffer): boolean => {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return false
  }
  for (const pair of text.split("&")) {
    for (const part of pair.split("=")) {
      try {
        decodeURIComponent(part.replaceAll("+", " "))
      } catch {
        return false
      }
    }
  }
  return true
}

/**
 * Form posts must be valid UTF-8: a lossy decode would store U+FFFD in place of what the person typed,
 * so such a body is refused with 400 before any handler reads it.
 */
export const strictForms: MiddlewareHandler = async (c, next) => {
  if (
    c.req.method === "POST" &&
    (c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
  ) {
    if (!isValidUrlEncoded(await c.req.arrayBuffer())) return c.text("The form is not valid UTF-8.", 400)
  }
  return next()
}
