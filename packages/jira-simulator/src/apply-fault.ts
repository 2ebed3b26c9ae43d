import type { Fault } from "./faults.ts"
import { authDeniedResponse, notFoundHtmlResponse, rateLimitResponse, serverErrorResponse } from "./responses.ts"

const MALFORMED_BODY = '{"issues":[{"id":"10000" "key":"DEMO-1"}],"isLast":true'

const waitForAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true })
  })

/** The response a queued fault stands for; `answer` computes the real one when the fault needs it. */
export const applyFault = async (
  fault: Fault,
  request: Request,
  site: string,
  now: Date,
  answer: () => Promise<Response>
): Promise<Response> => {
  switch (fault.kind) {
    case "rateLimit": {
      const headers: Record<string, string> = {
        "ratelimit-reason": fault.reason ?? "jira-burst-based",
        "x-ratelimit-limit": String(fault.limit ?? 100),
        "x-ratelimit-remaining": String(fault.remaining ?? 0),
        "x-ratelimit-reset": fault.reset ?? new Date(now.getTime() + 60_000).toISOString()
      }
      const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter
      if (retryAfter !== null) headers["retry-after"] = String(retryAfter)
      return rateLimitResponse(headers)
    }
    case "status":
      return serverErrorResponse(fault.status, fault.retryAfter)
    case "hang":
      return waitForAbort(request.signal)
    case "malformedJson":
      return new Response(MALFORMED_BODY, {
        status: 200,
        headers: { "content-type": "application/json;charset=UTF-8" }
      })
    case "truncatedJson": {
      const real = await answer()
      const text = await real.text()
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: real.status, headers: real.headers })
    }
    case "html404":
      return notFoundHtmlResponse(new URL(request.url).pathname)
    case "connectionReset":
      return Response.error()
    case "authDenied":
      return authDeniedResponse(site, fault.status ?? 403)
  }
}
