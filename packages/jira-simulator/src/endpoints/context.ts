import type { Caller } from "../authentication.ts"
import { errorResponse } from "../responses.ts"
import { INVALID_PAYLOAD, type SimState } from "../state.ts"

/** What one endpoint gets to answer a request. */
interface EndpointContext {
  readonly state: SimState
  readonly request: Request
  readonly url: URL
  readonly caller: Caller
  /** Path parameters of the route, e.g. `projectIdOrKey`. */
  readonly params: Readonly<Record<string, string>>
}

export type Endpoint = (ctx: EndpointContext) => Response | Promise<Response>

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string")

/** A JSON object body, or Jira's 415 / 400 answer. */
export const readJsonBody = async (request: Request): Promise<Record<string, unknown> | Response> => {
  const type = request.headers.get("content-type") ?? ""
  if (!/json/i.test(type)) {
    return new Response("Unsupported Media Type", {
      status: 415,
      headers: { "content-type": "text/plain;charset=UTF-8" }
    })
  }
  try {
    const body: unknown = JSON.parse(await request.text())
    return isObject(body) ? body : errorResponse(400, [INVALID_PAYLOAD])
  } catch {
    return errorResponse(400, [INVALID_PAYLOAD])
  }
}
