import { Result } from "effect"
import { type Context, Hono } from "hono"
import { headersOf, problemOf, type TaggedError } from "../errors.ts"
import { edgeProblem } from "../problems.ts"
import { wantsFresh } from "../refresh-limit.ts"
import { type AppDeps, attempt, type SignedInEnv } from "../runtime.ts"
import type { Surface } from "../surface.ts"
import type { ApiResource } from "./route.ts"
import { API_RESOURCES } from "./routes.ts"

const problem = (c: Context, error: TaggedError) => {
  const body = problemOf(error)
  return c.json(body, body.status as 400, { "content-type": "application/problem+json", ...headersOf(error) })
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/** Reads a JSON body: JSON content type, valid UTF-8, valid JSON, or a clear 4xx. */
const readJson = async (c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> => {
  const type = c.req.header("content-type") ?? ""
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    return { ok: false, response: edgeProblem(c, "UnsupportedMediaType", 415, "Send the body as application/json.") }
  }
  let text: string
  try {
    text = strictUtf8.decode(await c.req.arrayBuffer())
  } catch {
    return { ok: false, response: edgeProblem(c, "MalformedBody", 400, "The body is not valid UTF-8.") }
  }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, response: edgeProblem(c, "MalformedBody", 400, "The body is not valid JSON.") }
  }
}

/**
 * One resource of the API as a surface: each route reads its body and runs its handler for the signed-in
 * caller; sign-in (401) and the resource's permission (403) are its guards, checked before the body is read.
 */
const resourceSurface = (deps: AppDeps, resource: ApiResource): Surface => {
  const routes = new Hono<SignedInEnv>()
  for (const route of resource.routes) {
    routes.on(route.method.toUpperCase(), route.path.replace(/\{(\w+)\}/g, ":$1"), async (c) => {
      let body: unknown
      if (route.body !== undefined) {
        const read = await readJson(c)
        if (!read.ok) return read.response
        body = read.value
      }
      const result = await attempt(
        deps,
        route.handle({
          principal: c.var.auth.principal,
          path: (name) => c.req.param(name) ?? "",
          query: (name) => c.req.query(name),
          header: (name) => c.req.header(name),
          fresh: wantsFresh(c),
          body
        })
      )
      if (Result.isFailure(result)) return problem(c, result.failure)
      if (route.status === 204) return c.body(null, 204)
      return c.json(result.success as object, route.status)
    })
  }
  return { kind: "api", base: "/", permission: resource.permission, routes }
}

/** The JSON API: a guarded surface per resource. */
export const apiSurfaces = (deps: AppDeps): ReadonlyArray<Surface> =>
  API_RESOURCES.map((resource) => resourceSurface(deps, resource))
