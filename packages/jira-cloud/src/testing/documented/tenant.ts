import { type HttpHandler, HttpResponse, http } from "msw"
import type { DocumentedSite } from "./site.ts"

/** `GET <site>/_edge/tenant_info`: public, `{"cloudId": "<uuid>"}`; the gateway addresses the site by it. */
export const tenantHandlers = (site: DocumentedSite): Array<HttpHandler> => [
  http.get(`${site.site}/_edge/tenant_info`, () => HttpResponse.json({ cloudId: site.cloudId }))
]

/** A host that answers but is not Jira Cloud: HTML everywhere, 404 for paths it does not know. */
export const notJiraHandlers = (origin: string): Array<HttpHandler> => [
  http.all(
    `${origin}/*`,
    () =>
      new HttpResponse("<!doctype html><title>Not found</title><h1>Not found</h1>", {
        status: 404,
        headers: { "Content-Type": "text/html" }
      })
  )
]

/** A host that serves an HTML page with 200 on every path (a parked domain, a login portal). */
export const htmlSiteHandlers = (origin: string): Array<HttpHandler> => [
  http.all(
    `${origin}/*`,
    () => new HttpResponse("<!doctype html><title>Welcome</title>", { headers: { "Content-Type": "text/html" } })
  )
]
