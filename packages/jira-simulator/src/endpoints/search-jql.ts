import { decodePageToken, encodePageToken } from "../paging.ts"
import { issueJson, type JsonObject, requestedFields } from "../representation.ts"
import { errorResponse, jsonResponse } from "../responses.ts"
import { INVALID_PAYLOAD } from "../state.ts"
import { type Endpoint, isStringArray, readJsonBody } from "./context.ts"

/** Key-only searches may page by 5,000; with other fields the cap is 100. */
const KEY_ONLY_CAP = 5000
const FIELDS_CAP = 100
const KEY_ONLY = new Set(["key", "id", ""])

/** `POST /search/jql` (and `GET` with query parameters): pages by `nextPageToken`, no `total`. */
export const searchJql: Endpoint = async ({ state, request, url, caller }) => {
  let body: Record<string, unknown>
  if (request.method.toUpperCase() === "GET") {
    const params = url.searchParams
    const fields = params.getAll("fields")
    body = {
      jql: params.get("jql") ?? "",
      ...(fields.length > 0 ? { fields } : {}),
      ...(params.has("maxResults") ? { maxResults: Number(params.get("maxResults")) } : {}),
      ...(params.has("nextPageToken") ? { nextPageToken: params.get("nextPageToken") } : {})
    }
  } else {
    const parsed = await readJsonBody(request)
    if (parsed instanceof Response) return parsed
    body = parsed
  }
  const { fields, maxResults, nextPageToken } = body
  const jql = body.jql ?? ""
  if (
    typeof jql !== "string" ||
    (fields !== undefined && !isStringArray(fields)) ||
    (maxResults !== undefined && (typeof maxResults !== "number" || !Number.isInteger(maxResults))) ||
    (nextPageToken !== undefined && nextPageToken !== null && typeof nextPageToken !== "string")
  ) {
    return errorResponse(400, [INVALID_PAYLOAD])
  }
  const prepared = state.prepareSearch(jql, caller)
  if (prepared instanceof Response) return prepared
  const now = state.clock().getTime()
  let offset = 0
  if (typeof nextPageToken === "string" && nextPageToken.length > 0) {
    const check = decodePageToken(nextPageToken, jql, now)
    if (!check.ok) return errorResponse(400, [check.message])
    offset = check.offset
  }
  const selected = requestedFields(fields)
  const keyOnly = fields === undefined || fields.flatMap((f) => f.split(",")).every((f) => KEY_ONLY.has(f.trim()))
  const cap = keyOnly ? KEY_ONLY_CAP : FIELDS_CAP
  // A non-positive maxResults falls back to the default rather than looping clients on empty pages.
  const pageSize = Math.min(cap, typeof maxResults === "number" && maxResults > 0 ? maxResults : 50)
  const results = state.run(jql, caller, prepared.compiled)
  const page = results.slice(offset, offset + pageSize)
  const isLast = offset + page.length >= results.length
  const render = state.renderContext(caller)
  const out: JsonObject = { issues: page.map((issue) => issueJson(render, issue, selected)) }
  if (!isLast) out.nextPageToken = encodePageToken(jql, offset + page.length, now)
  out.isLast = isLast
  return jsonResponse(out)
}
