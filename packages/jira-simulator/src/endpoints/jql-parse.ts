import { compileQuery } from "../jql/evaluate.ts"
import { parseJql, type Query } from "../jql/parser.ts"
import { queryStructure } from "../jql/structure.ts"
import type { Json } from "../representation.ts"
import { errorResponse, jsonResponse } from "../responses.ts"
import { INVALID_PAYLOAD } from "../state.ts"
import { type Endpoint, isStringArray, readJsonBody } from "./context.ts"

/** `POST /jql/parse?validation=strict|warn|none`: 200 even for bad queries; does not check boundedness. */
export const jqlParse: Endpoint = async ({ state, request, url, caller }) => {
  const validation = url.searchParams.get("validation") ?? "strict"
  if (validation !== "strict" && validation !== "warn" && validation !== "none") {
    return errorResponse(400, [`Invalid validation value: '${validation}'. Valid values are strict, warn and none.`])
  }
  const body = await readJsonBody(request)
  if (body instanceof Response) return body
  const queries = body.queries
  if (!isStringArray(queries) || queries.length === 0) return errorResponse(400, [INVALID_PAYLOAD])
  const results: Json[] = queries.map((jql) => {
    let query: Query
    try {
      query = parseJql(jql)
    } catch (error) {
      return { query: jql, errors: [error instanceof Error ? error.message : String(error)] }
    }
    if (validation === "none") return { query: jql, structure: queryStructure(query) }
    const compiled = compileQuery(query, state.evaluationContext(caller))
    if (compiled.ok) return { query: jql, structure: queryStructure(query) }
    return validation === "strict"
      ? { query: jql, errors: [...compiled.errors] }
      : { query: jql, structure: queryStructure(query), errors: [...compiled.errors] }
  })
  return jsonResponse({ queries: results })
}
