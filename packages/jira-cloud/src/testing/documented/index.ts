import type { HttpHandler } from "msw"
import { restApiHandlers } from "./rest.ts"
import type { DocumentedSite } from "./site.ts"
import { tenantHandlers } from "./tenant.ts"

export { captchaHandlers } from "./captcha.ts"
export { pageTokenFor } from "./search.ts"
/** @public the site description the handlers are built from */
export type { Credential, DocumentedProject, DocumentedSite, ScopedCredential } from "./site.ts"
export { htmlSiteHandlers, notJiraHandlers } from "./tenant.ts"

/** Every documented behaviour of one site, on the site and on the gateway, as msw handlers. */
export const documentedJiraHandlers = (site: DocumentedSite): Array<HttpHandler> => [
  ...tenantHandlers(site),
  ...restApiHandlers(site)
]
