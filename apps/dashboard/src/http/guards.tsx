import { NotPermitted, type Permission } from "@sciple/jira-core"
import type { Context, MiddlewareHandler } from "hono"
import { Refusal } from "../views/components.tsx"
import { problemOf } from "./errors.ts"
import { errorPage, isFragmentRequest } from "./pages/page.tsx"
import { edgeProblem } from "./problems.ts"
import type { AppDeps, AppEnv } from "./runtime.ts"

/**
 * The guards a surface is mounted behind (surface.ts): sign-in, then the surface's permission. Each answers the
 * way its kind of caller understands: a page redirects to sign-in and shows a 403 page, the API answers problems.
 * Every guard records what it checks, so a test can read the router and see each route behind its guards.
 */

/** @internal exported for its tests */
export type GuardCheck = "signed-in" | Permission

const checks = new WeakMap<MiddlewareHandler<AppEnv>, GuardCheck>()

const guard = (check: GuardCheck, handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => {
  checks.set(handler, check)
  return handler
}

/**
 * What a router entry's handler checks, when it is one of these guards.
 * @internal exported for its tests
 */
export const guardCheckOf = (handler: unknown): GuardCheck | undefined =>
  typeof handler === "function" ? checks.get(handler as MiddlewareHandler<AppEnv>) : undefined

const unauthenticated = (c: Context<AppEnv>) =>
  edgeProblem(c, "Unauthenticated", 401, "Sign in, or send a personal API token as `Authorization: Bearer <token>`.", {
    headers: { "www-authenticate": 'Bearer realm="sciple"' }
  })

/** Pages: an anonymous visitor goes to the sign-in page and comes back after; htmx is told to go there. */
export const pageSignIn = (): MiddlewareHandler<AppEnv> =>
  guard("signed-in", async (c, next) => {
    if (c.var.auth !== null) return next()
    const target = `/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""))}`
    if (c.req.header("hx-request") !== undefined) {
      c.header("HX-Redirect", target)
      return c.body(null, 401)
    }
    return c.redirect(target, 303)
  })

/** The JSON API: 401, and how to sign in. */
export const apiSignIn = (): MiddlewareHandler<AppEnv> =>
  guard("signed-in", async (c, next) => (c.var.auth !== null ? next() : unauthenticated(c)))

/**
 * Pages: a signed-in person without the permission gets the 403 page naming it (htmx: just the reason), before
 * any form is read.
 * The use cases check again (adr/0006): this guard decides what a refused person sees, not whether data moves.
 */
export const pagePermission = (deps: AppDeps, permission: Permission): MiddlewareHandler<AppEnv> =>
  guard(permission, async (c, next) => {
    if (c.var.auth?.principal.can(permission) === true) return next()
    const refused = new NotPermitted({ permission })
    return isFragmentRequest(c) ? c.html(<Refusal message={refused.message} />, 403) : errorPage(c, deps, refused)
  })

/** The JSON API: 403 with the missing permission, before the body is read, so a refused caller learns nothing. */
export const apiPermission = (permission: Permission): MiddlewareHandler<AppEnv> =>
  guard(permission, async (c, next) => {
    if (c.var.auth?.principal.can(permission) === true) return next()
    const body = problemOf(new NotPermitted({ permission }))
    return c.json(body, 403, { "content-type": "application/problem+json" })
  })
