import type { Permission } from "@sciple/jira-core"
import { Hono } from "hono"
import { apiPermission, apiSignIn, pagePermission, pageSignIn } from "./guards.ts"
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
 * Mounts a surface behind its guards: sign-in, then its permission, as middleware on each of its own paths (not
 * a wildcard, so an unknown path is still a 404 and a surface at `/` does not guard the sign-in page).
 */
export const mountSurface = (app: Hono<AppEnv>, deps: AppDeps, surface: Surface) => {
  const guards =
    surface.kind === "page"
      ? [pageSignIn(), pagePermission(deps, surface.permission)]
      : [apiSignIn(), apiPermission(surface.permission)]
  const guarded = new Hono<AppEnv>()
  for (const path of new Set(surface.routes.routes.map((route) => route.path))) guarded.use(path, ...guards)
  guarded.route("/", surface.routes)
  app.route(surface.base, guarded)
}
