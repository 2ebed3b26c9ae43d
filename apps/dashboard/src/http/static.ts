import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Hono } from "hono"
import type { AppEnv } from "./runtime.ts"

const require = createRequire(import.meta.url)

interface Asset {
  readonly body: ArrayBuffer
  readonly type: string
  readonly etag: string
}

const asset = (path: string, type: string): Asset => {
  const file = readFileSync(path)
  const body = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer
  return { body, type, etag: `"${createHash("sha256").update(file).digest("base64url").slice(0, 16)}"` }
}

/** The app's own static files, read once at start: htmx from its package, the stylesheet, icon and after-swap script from this folder. */
export const staticRoutes = (app: Hono<AppEnv>) => {
  const assets: Record<string, Asset> = {
    "/static/htmx.min.js": asset(require.resolve("htmx.org/dist/htmx.min.js"), "text/javascript; charset=utf-8"),
    // By the package's own name, so the path holds in the bundle too.
    "/static/app.css": asset(require.resolve("@sciple/dashboard/static/app.css"), "text/css; charset=utf-8"),
    "/static/favicon.svg": asset(require.resolve("@sciple/dashboard/static/favicon.svg"), "image/svg+xml"),
    "/static/after-swap.js": asset(
      require.resolve("@sciple/dashboard/static/after-swap.js"),
      "text/javascript; charset=utf-8"
    )
  }
  // The pages link the SVG icon; a browser that asks for the classic path (a JSON answer opened in a tab) is sent there.
  app.get("/favicon.ico", (c) => c.redirect("/static/favicon.svg", 301))
  app.get("/static/*", (c) => {
    const found = assets[c.req.path]
    if (found === undefined) return c.notFound()
    c.header("ETag", found.etag)
    c.header("Cache-Control", "public, max-age=300")
    if (c.req.header("if-none-match") === found.etag) return c.body(null, 304)
    return c.body(found.body, 200, { "Content-Type": found.type })
  })
}
