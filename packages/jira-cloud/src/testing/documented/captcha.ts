import { type HttpHandler, HttpResponse, http } from "msw"

/**
 * A CAPTCHA lock after repeated failed sign-ins. Jira says so on a 401 or a 403, with
 * `X-Seraph-LoginReason: AUTHENTICATION_DENIED` or `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE`.
 */
export const captchaHandlers = (
  origin: string,
  answer: { readonly status: 401 | 403; readonly header: "seraph" | "denied-reason" }
): Array<HttpHandler> => [
  http.all(`${origin}/rest/api/3/*`, () => {
    const headers: Record<string, string> =
      answer.header === "seraph"
        ? { "X-Seraph-LoginReason": "AUTHENTICATION_DENIED" }
        : { "X-Authentication-Denied-Reason": `CAPTCHA_CHALLENGE; login-url=${origin}/login.jsp` }
    return new HttpResponse("Basic authentication with passwords is denied: CAPTCHA required.", {
      status: answer.status,
      headers: { "Content-Type": "text/plain", ...headers }
    })
  })
]
