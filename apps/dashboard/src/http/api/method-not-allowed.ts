import type { Context } from "hono"
import { edgeProblem } from "../problems.ts"
import { API_ROUTES } from "./routes.ts"

/** Paths the app serves under /api/ outside the route table: the public contract and reference. */
const DOCS_PATHS: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["/api/openapi.json", ["GET"]],
  ["/api/docs", ["GET"]]
]

const pattern = (path: string) => new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}/?$`)

const KNOWN: ReadonlyArray<{ readonly pattern: RegExp; readonly methods: ReadonlyArray<string> }> = [
  ...DOCS_PATHS.map(([path, methods]) => ({ pattern: pattern(path), methods })),
  ...API_ROUTES.map((route) => ({ pattern: pattern(route.path), methods: [route.method.toUpperCase()] }))
]

/**
 * The methods a known API path answers, with HEAD wherever GET is (the router answers it); empty for a path
 * the API does not have.
 */
const allowedMethods = (path: string): ReadonlyArray<string> => {
  const methods = new Set(KNOWN.filter((entry) => entry.pattern.test(path)).flatMap((entry) => entry.methods))
  if (methods.has("GET")) methods.add("HEAD")
  return ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].filter((method) => methods.has(method))
}

/** What the API answers for a route it does not have: 405 with `Allow` on a known path, else 404. */
export const apiNotFound = (c: Context) => {
  const allowed = allowedMethods(c.req.path)
  return allowed.length > 0
    ? edgeProblem(c, "MethodNotAllowed", 405, `${c.req.method} is not allowed here; use ${allowed.join(" or ")}.`, {
        headers: { allow: allowed.join(", ") }
      })
    : edgeProblem(c, "RouteNotFound", 404, "No such API route.")
}
