import { jsonResponse } from "../responses.ts"
import type { Endpoint } from "./context.ts"

/** `GET /_edge/tenant_info`: unauthenticated, the site's cloudId for the gateway route (not in the OpenAPI document). */
export const tenantInfo: Endpoint = ({ state }) => jsonResponse({ cloudId: state.cloudId })
