import type { MiddlewareHandler } from "hono"
import type { AppDeps } from "./runtime.ts"

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * Cross-site request forgery (adr/0014, adr/0022): an unsafe method that a browser could send with the
 * session cookie must say it comes from this site, by `Origin` or `Sec-Fetch-Site: same-origin`, whatever
 * its content type. A request carrying a Bearer token is exempt: a browser never adds one by itself, and
 * such a request is signed in by the token alone (the cookie is not read).
 */
export const sameOrigin =
  (deps: AppDeps): MiddlewareHandler =>
  async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next()
    if (/^Bearer\s+\S+$/i.test(c.req.header("authorization") ?? "")) return next()
    const origin = c.req.header("origin")
    const fetchSite = c.req.header("sec-fetch-site")
    const ours = origin !== undefined && (origin === new URL(c.req.url).origin || origin === deps.publicOrigin)
    if (ours || (origin === undefined && fetchSite === "same-origin")) return next()
    return c.text("Cross-site request refused.", 403)
  }
