import { AUDIT } from "./audit.ts"
import { CREDENTIALS } from "./credentials.ts"
import { JIRA_READS } from "./jira.ts"
import { JIRA_CONFIG } from "./jira-config.ts"
import type { ApiResource, ApiRoute } from "./route.ts"

export type { ApiResource, ApiRoute } from "./route.ts"

/** The JSON API by resource, in the OpenAPI document's order; each is served as one guarded surface. */
export const API_RESOURCES: ReadonlyArray<ApiResource> = [JIRA_READS, JIRA_CONFIG, CREDENTIALS, AUDIT]

/** Every route of the API: the OpenAPI document, the docs page and the access matrix test read it. */
export const API_ROUTES: ReadonlyArray<ApiRoute> = API_RESOURCES.flatMap((resource) => resource.routes)
