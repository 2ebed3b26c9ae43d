import { errorResponse, jsonResponse } from "../responses.ts"
import { INVALID_PAYLOAD } from "../state.ts"
import { type Endpoint, readJsonBody } from "./context.ts"

/** `POST /search/approximate-count`: `{ count }` for bounded JQL. */
export const approximateCount: Endpoint = async ({ state, request, caller }) => {
  const body = await readJsonBody(request)
  if (body instanceof Response) return body
  const jql = body.jql ?? ""
  if (typeof jql !== "string") return errorResponse(400, [INVALID_PAYLOAD])
  const prepared = state.prepareSearch(jql, caller)
  if (prepared instanceof Response) return prepared
  return jsonResponse({ count: state.run(jql, caller, prepared.compiled).length })
}
