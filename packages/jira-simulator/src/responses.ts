import type { Json } from "./representation.ts"

/** Responses with Jira's status codes, headers and bodies. */

const JSON_TYPE = "application/json;charset=UTF-8"

let requestCounter = 0
/** Jira tags every response with a request id. */
const baseHeaders = (): Record<string, string> => ({
  "x-arequestid": `sim-${(++requestCounter).toString(16).padStart(8, "0")}`
})

export const jsonResponse = (body: Json, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { ...baseHeaders(), "content-type": JSON_TYPE, ...headers } })

export const errorResponse = (
  status: number,
  messages: ReadonlyArray<string>,
  errors: Record<string, string> = {}
): Response => jsonResponse({ errorMessages: [...messages], errors }, status)

export const unauthorizedResponse = (site: string): Response =>
  new Response("Client must be authenticated to access this resource.", {
    status: 401,
    headers: {
      ...baseHeaders(),
      "content-type": "text/plain;charset=UTF-8",
      "x-seraph-loginreason": "AUTHENTICATED_FAILED",
      "www-authenticate": `OAuth realm="${encodeURIComponent(site)}"`
    }
  })

/** The CAPTCHA lock after repeated failed logins: Jira sends it as 401 or 403, with both headers. */
export const authDeniedResponse = (site: string, status: 401 | 403 = 403): Response =>
  new Response(
    "Basic authentication with passwords is deprecated or the account is locked. Log in to Jira in a browser.",
    {
      status,
      headers: {
        ...baseHeaders(),
        "content-type": "text/plain;charset=UTF-8",
        "x-seraph-loginreason": "AUTHENTICATION_DENIED",
        "x-authentication-denied-reason": `CAPTCHA_CHALLENGE; login-url=${site}/login.jsp`
      }
    }
  )

/** What a scoped token gets on the site URL, or on the gateway for an operation its scopes do not cover. */
export const scopeMismatchResponse = (): Response =>
  jsonResponse({ code: 401, message: "Unauthorized; scope does not match" }, 401)

/** The gateway's answer for a cloudId it does not know (its wording is not documented; ours). */
export const unknownCloudResponse = (): Response => jsonResponse({ code: 404, message: "Not Found" }, 404)

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/** The HTML page Jira serves for a path it does not know. */
export const notFoundHtmlResponse = (path: string): Response =>
  new Response(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Oops, you&#39;ve found a dead link. - Jira</title></head>` +
      `<body id="jira" class="aui-layout aui-theme-default page-type-message"><div class="aui-page-panel"><section class="aui-page-panel-content">` +
      `<h1>Oops, you&#39;ve found a dead link.</h1><p>The page <code>${escapeHtml(path)}</code> does not exist.</p>` +
      `<p><a href="/">Go back to the home page</a></p></section></div></body></html>`,
    { status: 404, headers: { ...baseHeaders(), "content-type": "text/html;charset=UTF-8" } }
  )

export const methodNotAllowedResponse = (allow: ReadonlyArray<string>): Response =>
  new Response(null, { status: 405, headers: { ...baseHeaders(), allow: allow.join(", ") } })

export const removedSearchResponse = (): Response =>
  errorResponse(410, [
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
  ])

/** What an edge proxy answers for 502 and 504, and Jira for 500 and 503. */
export const serverErrorResponse = (status: 500 | 502 | 503 | 504, retryAfter?: number): Response => {
  const headers: Record<string, string> = { ...baseHeaders() }
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter)
  if (status === 502 || status === 504) {
    const title = status === 502 ? "502 Bad Gateway" : "504 Gateway Timeout"
    return new Response(
      `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`,
      {
        status,
        headers: { ...headers, "content-type": "text/html" }
      }
    )
  }
  const message = status === 500 ? "Internal server error" : "Service Unavailable"
  return new Response(JSON.stringify({ errorMessages: [message], errors: {} }), {
    status,
    headers: { ...headers, "content-type": JSON_TYPE }
  })
}

export const rateLimitResponse = (headers: Record<string, string>): Response =>
  new Response(JSON.stringify({ errorMessages: ["Rate limit exceeded."], errors: {} }), {
    status: 429,
    headers: { ...baseHeaders(), "content-type": JSON_TYPE, ...headers }
  })

const COLOURS = ["#0052CC", "#00875A", "#FF5630", "#6554C0", "#FFAB00", "#00B8D9", "#36B37E", "#DE350B"]

/** A generated SVG avatar with initials, so demo pages show images without reaching the internet. */
export const avatarResponse = (label: string, seed: string): Response => {
  let sum = 0
  for (const ch of seed) sum = (sum * 31 + (ch.codePointAt(0) ?? 0)) >>> 0
  const colour = COLOURS[sum % COLOURS.length] ?? "#0052CC"
  const initials = escapeHtml(
    [...label.trim()]
      .filter((_, i, all) => i === 0 || all[i - 1] === " ")
      .slice(0, 2)
      .join("")
      .toUpperCase()
  )
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">` +
    `<rect width="48" height="48" rx="6" fill="${colour}"/>` +
    `<text x="24" y="30" font-family="sans-serif" font-size="18" fill="#fff" text-anchor="middle">${initials}</text></svg>`
  return new Response(svg, {
    status: 200,
    headers: { ...baseHeaders(), "content-type": "image/svg+xml", "cache-control": "max-age=3600" }
  })
}
