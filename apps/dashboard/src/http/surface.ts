import type { Permission } from "@sciple/jira-core"
import { Hono } from "hono"
import { apiPermission, apiSignIn, pagePermission, pageSignIn } from "./guards.tsx"
import type { AppDeps, AppEnv, SignedInEnv } from "./runtime.ts"

/**
 * A surface of the app: a small Hono sub-app of routes written on the signed-in context, where it is mounted,
 * and who may use it. Its routes never check sign-in or the permission themselves: `mountSurface` puts the
 * guards in front of exactly its paths (adr/0030).
 */
export interface Surface {
  /** Pages answer a refusal with a redirect or a page; the API with a problem document. */
  readonly kind: "page" | "api"
  /** Where the sub-app's paths are mounted: `/manage/credentials`, or `/` for paths written in full. */
  readonly base: string
  readonly permission: Permission
  readonly routes: Hono<SignedInEnv>
}

/**
 * Mounts a surface behind its guards: sign-in, then its permission, as middleware on each of its own routes
 * (method and path; not a wildcard, so an unknown route is still a 404 and a surface at `/` leaves the sign-in
 * page alone), registered ahead of the routes' handlers.
 */
export const mountSurface = (app: Hono<AppEnv>, deps: AppDeps, surface: Surface) => {
  const [signIn, permitted] =
    surface.kind === "page"
      ? [pageSignIn(), pagePermission(deps, surface.permission)]
      : [apiSignIn(), apiPermission(surface.permission)]
  const guarded = new Hono<AppEnv>()
  const seen = new Set<string>()
  for (const { method, path } of surface.routes.routes) {
    if (seen.has(`${method} ${path}`)) continue
    seen.add(`${method} ${path}`)
    guarded.on(method, path, signIn, permitted)
  }
  guarded.route("/", surface.routes)
  app.route(surface.base, guarded)
}
