import { asViewer, avatarImage, DASHBOARD_VIEW } from "@sciple/jira-core"
import { Result } from "effect"
import { Hono } from "hono"
import { type AppDeps, attempt, type SignedInEnv } from "../runtime.ts"
import type { Surface } from "../surface.ts"

/** How long a browser keeps an avatar; the server's copy follows the Jira cache's TTL. */
const BROWSER_MAX_AGE_SECONDS = 600
/** A failed avatar is asked for again soon. */
const FAILED_MAX_AGE_SECONDS = 60

/** A transparent 1×1 GIF: the initials under the picture show through when Jira's avatar cannot be had. */
const TRANSPARENT_GIF = new Uint8Array([
  71, 73, 70, 56, 57, 97, 1, 0, 1, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 33, 249, 4, 1, 0, 0, 0, 0, 44, 0, 0, 0, 0, 1, 0, 1,
  0, 0, 2, 2, 68, 1, 0, 59
])

/**
 * `GET /avatars?u=<one of Jira's avatar URLs>`: the picture fetched as the workspace's connection and cached
 * (see the IssueSource's `avatar`). Only the allowed image types go out, each with its own type and `nosniff`;
 * an SVG under a policy that lets it run nothing. A Jira failure gives a transparent picture (the initials
 * stay); a URL that is not an avatar of the connected site is a 404.
 */
export const avatarsSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()
  routes.get("/avatars", async (c) => {
    const url = c.req.query("u") ?? ""
    const result = await attempt(deps, avatarImage({ url }).pipe(asViewer(c.var.auth.principal)))
    if (Result.isFailure(result)) {
      if (result.failure._tag === "InvalidInput" || result.failure._tag === "NotConnected")
        return c.text("Not an avatar of the connected Jira site.", 404)
      return c.body(TRANSPARENT_GIF, 200, {
        "content-type": "image/gif",
        "cache-control": `private, max-age=${FAILED_MAX_AGE_SECONDS}`
      })
    }
    const image = result.success.value
    return c.body(new Uint8Array(image.bytes), 200, {
      "content-type": image.contentType,
      "cache-control": `private, max-age=${BROWSER_MAX_AGE_SECONDS}`,
      "x-content-type-options": "nosniff",
      "content-disposition": "inline",
      // An SVG opened on its own is a document: it may draw, never run script or load anything.
      ...(image.contentType === "image/svg+xml"
        ? { "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox" }
        : {})
    })
  })
  return { kind: "page", base: "/", permission: DASHBOARD_VIEW, routes }
}
