import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/**
 * The JSON API's one problem+json scheme (RFC 9457): every error's `type` is
 * `https://sciple.dev/problems/<code in kebab case>`, its `title` a short sentence for a person, and its
 * `code` the machine-readable name scripts switch on.
 */
export const PROBLEM_TYPE_BASE = "https://sciple.dev/problems/"

export const problemType = (code: string): string =>
  `${PROBLEM_TYPE_BASE}${code.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`

/** The problems the HTTP edge raises itself (the core's errors are in errors.ts). */
const EDGE_PROBLEM_TITLES = {
  Unauthenticated: "Sign-in required",
  RouteNotFound: "No such API route",
  MethodNotAllowed: "Method not allowed on this route",
  PayloadTooLarge: "Request body too large",
  MalformedBody: "Request body could not be read",
  UnsupportedMediaType: "Request body must be JSON",
  Internal: "Something went wrong on our side"
} as const

type EdgeProblemCode = keyof typeof EDGE_PROBLEM_TITLES

/** A problem+json answer for one of the edge's own problems. */
export const edgeProblem = (
  c: Context,
  code: EdgeProblemCode,
  status: ContentfulStatusCode,
  detail: string,
  extra: { readonly body?: Record<string, unknown>; readonly headers?: Record<string, string> } = {}
) =>
  c.json({ type: problemType(code), title: EDGE_PROBLEM_TITLES[code], status, code, detail, ...extra.body }, status, {
    "content-type": "application/problem+json",
    ...extra.headers
  })
