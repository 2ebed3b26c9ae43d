import { type HttpHandler, HttpResponse, http } from "msw"
import { type Access, accessOf, type Entry } from "./access.ts"
import { projectSearchAnswer } from "./projects.ts"
import { searchAnswer } from "./search.ts"
import { type DocumentedSite, FAILED_LOGIN, jiraError } from "./site.ts"

/** The base a REST path hangs off for each entry: the site, or the gateway for the site's cloudId. */
const baseOf = (site: DocumentedSite, entry: Entry) =>
  entry === "site" ? site.site : `${site.gatewayOrigin}/ex/jira/${site.cloudId}`

/** Runs `answer` when the caller may, else Jira's refusal; `anonymous` is what a failed credential gets. */
const gate = (access: Access, answer: (anonymous: boolean) => Response | Promise<Response>) => {
  if (access._tag === "Refused") return access.response
  return answer(access._tag !== "Allowed")
}

/** With the anonymous-answer header when the credential failed (Jira adds it on any status). */
const marked = (access: Access, response: Response): Response => {
  if (access._tag === "FailedCredential") {
    for (const [name, value] of Object.entries(FAILED_LOGIN)) response.headers.set(name, value)
  }
  return response
}

const restHandlers = (site: DocumentedSite, entry: Entry): Array<HttpHandler> => {
  const base = `${baseOf(site, entry)}/rest/api/3`
  const access = (method: string, path: string, request: Request) =>
    accessOf(site, entry, method, `/rest/api/3${path}`, request)
  return [
    http.get(`${base}/myself`, ({ request }) => {
      const granted = access("GET", "/myself", request)
      return gate(granted, (anonymous) =>
        anonymous
          ? // Never anonymous: a failed credential gets its 401 here, often as plain text.
            marked(
              granted,
              new HttpResponse("Client must be authenticated to access this resource.", {
                status: 401,
                headers: { "Content-Type": "text/plain" }
              })
            )
          : HttpResponse.json({
              accountId: "5b10ac8d82e05b22cc7d4ef5",
              accountType: "atlassian",
              displayName: "Integration Bot",
              active: true,
              emailAddress: callerEmail(request),
              timeZone: "Europe/Berlin"
            })
      )
    }),
    http.post(`${base}/search/jql`, async ({ request }) => {
      const granted = access("POST", "/search/jql", request)
      const body = await request.json()
      return gate(granted, (anonymous) => marked(granted, searchAnswer(site, body, anonymous, "page")))
    }),
    http.post(`${base}/search/approximate-count`, async ({ request }) => {
      const granted = access("POST", "/search/approximate-count", request)
      const body = await request.json()
      return gate(granted, (anonymous) => marked(granted, searchAnswer(site, body, anonymous, "count")))
    }),
    http.get(`${base}/project/search`, ({ request }) => {
      const granted = access("GET", "/project/search", request)
      return gate(granted, (anonymous) => marked(granted, projectSearchAnswer(site, new URL(request.url), anonymous)))
    }),
    http.post(`${base}/jql/parse`, async ({ request }) => {
      const granted = access("POST", "/jql/parse", request)
      const body = await request.json()
      const queries = typeof body === "object" && body !== null && "queries" in body ? body.queries : []
      return gate(granted, () =>
        marked(
          granted,
          HttpResponse.json({
            queries: (Array.isArray(queries) ? queries : []).map((query) => ({ query, errors: [], warnings: [] }))
          })
        )
      )
    }),
    http.all(`${base}/*`, () => jiraError(404, ["Null"]))
  ]
}

const callerEmail = (request: Request): string | null => {
  const header = request.headers.get("authorization") ?? ""
  const decoded = Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")
  return decoded.slice(0, decoded.indexOf(":"))
}

/** Both entries to the same REST API: the site, and the gateway for its cloudId. */
export const restApiHandlers = (site: DocumentedSite): Array<HttpHandler> => [
  ...restHandlers(site, "site"),
  ...restHandlers(site, "gateway")
]
