import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  DASHBOARD_VIEW,
  type Permission,
  Principal,
  permissionsOf,
  SETTINGS_MANAGE,
  UserId,
  WorkspaceId
} from "@sciple/jira-core"
import { Hono } from "hono"
import type { AppEnv, Auth, SignedInEnv } from "../../src/http/runtime.ts"
import { mountSurface, type Surface } from "../../src/http/surface.ts"
import { User, Workspace } from "../../src/identity/index.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"

/**
 * The guards at the sub-app level: a made-up surface of each kind, mounted with `mountSurface` behind a stand-in
 * for `resolveAuth`, answers each kind of caller before its handler runs, and only on its own paths.
 */

const authOf = (role: "admin" | "viewer"): Auth => ({
  principal: new Principal({
    userId: UserId.make(`u-${role}`),
    workspaceId: WorkspaceId.make("ws-1"),
    permissions: [...permissionsOf(role)]
  }),
  user: new User({
    id: UserId.make(`u-${role}`),
    email: `${role}@one.test`,
    displayName: role,
    passwordHash: "unused",
    createdAt: new Date(0)
  }),
  workspace: new Workspace({ id: WorkspaceId.make("ws-1"), name: "One", createdAt: new Date(0) }),
  via: "session",
  sessionHash: null
})

let t: TestApp
let ran: Array<string>

/** An app with one page surface and one API surface needing `permission`; `x-as` picks the caller. */
const appWith = (permission: Permission) => {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    const as = c.req.header("x-as")
    c.set("auth", as === "admin" || as === "viewer" ? authOf(as) : null)
    await next()
  })
  app.get("/public", (c) => c.text("public"))
  const pages = new Hono<SignedInEnv>()
  pages.get("/", (c) => {
    ran.push("page")
    return c.text(`page for ${c.var.auth.user.email}`)
  })
  pages.post("/:id/act", (c) => {
    ran.push("act")
    return c.text(`acted on ${c.req.param("id")}`)
  })
  const api = new Hono<SignedInEnv>()
  api.post("/api/v1/things", async (c) => {
    ran.push("api")
    return c.json({ body: await c.req.json(), by: c.var.auth.user.email })
  })
  const surfaces: ReadonlyArray<Surface> = [
    { kind: "page", base: "/area", permission, routes: pages },
    { kind: "api", base: "/", permission, routes: api }
  ]
  for (const surface of surfaces) mountSurface(app, t.deps, surface)
  return app
}

const send = (app: Hono<AppEnv>, path: string, init: RequestInit & { as?: "admin" | "viewer" } = {}) =>
  app.request(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...(init.as === undefined ? {} : { "x-as": init.as }) }
  })

const postJson = (body: string) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body
})

beforeAll(async () => {
  t = await makeTestApp()
})
afterAll(async () => {
  await t.dispose()
})

describe("a page surface", () => {
  it("sends a visitor who is not signed in to sign in, and back to the page after", async () => {
    ran = []
    const app = appWith(DASHBOARD_VIEW)
    const res = await send(app, "/area?tab=2")
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/area?tab=2")}`)
    const write = await send(app, "/area/7/act", { method: "POST" })
    expect(write.status).toBe(303)
    expect(write.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/area/7/act")}`)
    expect(ran).toEqual([])
  })

  it("tells htmx where to sign in, with a 401", async () => {
    ran = []
    const res = await send(appWith(DASHBOARD_VIEW), "/area", { headers: { "hx-request": "true" } })
    expect(res.status).toBe(401)
    expect(res.headers.get("hx-redirect")).toBe(`/login?next=${encodeURIComponent("/area")}`)
    expect(ran).toEqual([])
  })

  it("answers 403 naming the missing permission, before the form is read", async () => {
    ran = []
    const res = await send(appWith(SETTINGS_MANAGE), "/area/7/act", {
      as: "viewer",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "not=a%form"
    })
    expect(res.status).toBe(403)
    const html = await res.text()
    expect(html).toContain("<h1>Not permitted</h1>")
    expect(html).toContain("You need the settings.manage permission to do this.")
    // The layout still shows who is signed in.
    expect(html).toContain("viewer@one.test")
    expect(ran).toEqual([])
  })

  it("answers htmx's request with just the reason, no page around it", async () => {
    ran = []
    const res = await send(appWith(SETTINGS_MANAGE), "/area/7/act", {
      as: "viewer",
      method: "POST",
      headers: { "hx-request": "true" }
    })
    expect(res.status).toBe(403)
    expect(await res.text()).toBe(
      '<p class="error-panel" role="alert">You need the settings.manage permission to do this.</p>'
    )
    expect(ran).toEqual([])
  })

  it("lets a permitted person through, with the signed-in context", async () => {
    ran = []
    const app = appWith(SETTINGS_MANAGE)
    expect(await (await send(app, "/area", { as: "admin" })).text()).toBe("page for admin@one.test")
    expect(await (await send(app, "/area/7/act", { as: "admin", method: "POST" })).text()).toBe("acted on 7")
    expect(await (await send(appWith(DASHBOARD_VIEW), "/area", { as: "viewer" })).text()).toBe(
      "page for viewer@one.test"
    )
    expect(ran).toEqual(["page", "act", "page"])
  })

  it("guards only its own routes: an unknown one is a 404, a public route stays public", async () => {
    const app = appWith(SETTINGS_MANAGE)
    expect((await send(app, "/area/unknown")).status).toBe(404)
    expect((await send(app, "/area/7/act")).status).toBe(404)
    expect((await send(app, "/elsewhere")).status).toBe(404)
    const open = await send(app, "/public")
    expect(open.status).toBe(200)
    expect(await open.text()).toBe("public")
  })
})

describe("an API surface", () => {
  it("answers 401 with a problem and how to authenticate", async () => {
    ran = []
    const res = await send(appWith(DASHBOARD_VIEW), "/api/v1/things", postJson("{}"))
    expect(res.status).toBe(401)
    expect(res.headers.get("content-type")).toContain("application/problem+json")
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="sciple"')
    expect(await res.json()).toMatchObject({ status: 401, code: "Unauthenticated" })
    expect(ran).toEqual([])
  })

  it("answers 403 with the missing permission before it reads the body", async () => {
    ran = []
    const res = await send(appWith(SETTINGS_MANAGE), "/api/v1/things", { as: "viewer", ...postJson("{not json") })
    expect(res.status).toBe(403)
    expect(res.headers.get("content-type")).toContain("application/problem+json")
    expect(await res.json()).toEqual({
      type: "https://sciple.dev/problems/not-permitted",
      title: "Not permitted",
      status: 403,
      code: "NotPermitted",
      detail: "You need the settings.manage permission to do this."
    })
    expect(ran).toEqual([])
  })

  it("lets a permitted caller through, with the signed-in context", async () => {
    ran = []
    const res = await send(appWith(SETTINGS_MANAGE), "/api/v1/things", { as: "admin", ...postJson('{"a":1}') })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ body: { a: 1 }, by: "admin@one.test" })
    expect(ran).toEqual(["api"])
  })
})
