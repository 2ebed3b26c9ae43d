import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { UserId, WorkspaceId } from "@sciple/jira-core"
import { FAKE_EMAIL, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { API_ROUTES } from "../../src/http/api/routes.ts"
import { Session } from "../../src/identity/index.ts"
import { hashToken, randomToken } from "../../src/platform/tokens.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"
import { PUBLIC_ROUTES } from "../support/public-routes.ts"

/**
 * Every route the app registers (read from the router itself, so a new route cannot be missed) under every
 * kind of caller, with the status class each must get.
 */

const PUBLIC = PUBLIC_ROUTES

type Caller = "anonymous" | "viewer" | "admin" | "otherAdmin" | "revokedToken" | "expiredSession"
const CALLERS: ReadonlyArray<Caller> = ["anonymous", "viewer", "admin", "otherAdmin", "revokedToken", "expiredSession"]

type Need = "public" | "view" | "manage"

const needOf = (method: string, path: string): Need => {
  if (PUBLIC.has(`${method} ${path}`)) return "public"
  const api = API_ROUTES.find((r) => r.method.toUpperCase() === method && r.path.replace(/\{(\w+)\}/g, ":$1") === path)
  if (api !== undefined) return api.permission === "settings.manage" ? "manage" : "view"
  // A person's own API tokens are everyone's; the rest of Manage is for settings.manage.
  if (path.startsWith("/manage/api-tokens")) return "view"
  return path.startsWith("/manage") ? "manage" : "view"
}

let t: TestApp
let headers: Record<Caller, Record<string, string>>
let routes: ReadonlyArray<{ method: string; path: string }>

beforeAll(async () => {
  t = await makeTestApp()
  const admin = await t.signIn("admin")
  await t.connect(admin)
  const viewer = await t.signIn("viewer")
  const otherAdmin = await t.signIn("otherAdmin")
  const created = await (await t.form("/manage/api-tokens", { name: "soon revoked" }, admin)).text()
  const token = created.match(/sciple_pat_[A-Za-z0-9_-]+/)?.[0] ?? ""
  const tokens = await t.runtime.runPromise(
    t.accounts.store.listApiTokens(UserId.make("u-admin"), WorkspaceId.make("ws-1"))
  )
  await t.form(`/manage/api-tokens/${tokens[0]!.id}/revoke`, {}, admin)
  const expired = randomToken()
  await t.runtime.runPromise(
    t.accounts.store.createSession(
      new Session({
        idHash: hashToken(expired),
        userId: UserId.make("u-admin"),
        workspaceId: WorkspaceId.make("ws-1"),
        createdAt: new Date(Date.now() - 2 * 86_400_000),
        expiresAt: new Date(Date.now() - 1000)
      })
    )
  )
  headers = {
    anonymous: {},
    viewer: { cookie: viewer },
    admin: { cookie: admin },
    otherAdmin: { cookie: otherAdmin },
    revokedToken: { authorization: `Bearer ${token}` },
    expiredSession: { cookie: `sciple_session=${expired}` }
  }
  const seen = new Set<string>()
  routes = t.app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`) !== undefined)
})

afterAll(async () => {
  await t.dispose()
})

const concrete = (path: string) => path.replace(":key", "ALPHA").replace(":id", "missing").replace("*", "app.css")

const call = (method: string, path: string, caller: Caller) => {
  const init: RequestInit = { method, headers: { ...headers[caller] } }
  if (method === "POST" || method === "PUT") {
    const isApi = path.startsWith("/api/")
    init.body = isApi ? "{}" : ""
    init.headers = {
      ...headers[caller],
      "content-type": isApi ? "application/json" : "application/x-www-form-urlencoded"
    }
  }
  return t.request(concrete(path), init)
}

describe("no cross-workspace read or write", () => {
  it("keeps another workspace's admin out of this workspace's Jira, credentials and audit", async () => {
    const other = headers.otherAdmin
    const credential = [...t.world.config.state.credentials.values()][0]!
    const audit = t.world.config.state.audit.length
    expect((await t.request("/api/v1/jira/summary", { headers: other })).status).toBe(409)
    expect(await (await t.request("/api/v1/jira/config", { headers: other })).json()).toEqual({ config: null })
    expect(await (await t.request("/api/v1/credentials", { headers: other })).json()).toEqual({ credentials: [] })
    expect(
      ((await (await t.request("/api/v1/audit", { headers: other })).json()) as { events: unknown[] }).events
    ).toEqual([])
    expect((await t.request(`/api/v1/credentials/${credential.id}`, { method: "DELETE", headers: other })).status).toBe(
      404
    )
    expect((await t.form(`/manage/credentials/${credential.id}/delete`, {}, other.cookie)).status).toBe(404)
    const rotate = await t.request(`/api/v1/credentials/${credential.id}/rotate`, {
      method: "POST",
      headers: { ...other, "content-type": "application/json" },
      body: JSON.stringify({ token: "stolen" })
    })
    expect(rotate.status).toBe(404)
    const update = await t.request("/api/v1/jira/config", {
      method: "PUT",
      headers: { ...other, "content-type": "application/json" },
      body: JSON.stringify({
        name: "x",
        baseUrl: "https://acme.atlassian.net",
        credentialId: credential.id,
        version: 1
      })
    })
    expect(update.status).toBe(422)
    const html = await (await t.request("/projects/ALPHA", { headers: other })).text()
    expect(html).not.toContain("ALPHA-1<")
    expect(t.world.config.state.credentials.has(credential.id)).toBe(true)
    expect(t.world.config.state.audit.length).toBe(audit)
    expect([...t.world.config.state.configs.values()].map((c) => c.workspaceId)).toEqual(["ws-1"])
    expect(FAKE_EMAIL.length + FAKE_TOKEN.length).toBeGreaterThan(0)
  })
})

// Runs last: it posts to every write route, removing the connection among other things.
describe("access matrix", () => {
  it("covers every registered route", () => {
    expect(routes.length).toBeGreaterThanOrEqual(35)
    for (const api of API_ROUTES) {
      expect(
        routes.some((r) => r.method === api.method.toUpperCase() && r.path === api.path.replace(/\{(\w+)\}/g, ":$1"))
      ).toBe(true)
    }
  })

  it("gives each caller the expected status on every route", async () => {
    const failures: Array<string> = []
    // Sign-out would end the callers' sessions half-way; its own test is in pages.test.ts.
    for (const { method, path } of routes.filter((r) => !(r.method === "POST" && r.path === "/logout"))) {
      const need = needOf(method, path)
      for (const caller of CALLERS) {
        const res = await call(method, path, caller)
        const status = res.status
        const signedOut = caller === "anonymous" || caller === "revokedToken" || caller === "expiredSession"
        let ok: boolean
        if (need === "public") ok = status !== 403 && status < 500
        else if (signedOut)
          ok = path.startsWith("/api/")
            ? status === 401
            : status === 303 && (res.headers.get("location") ?? "").startsWith("/login")
        else if (need === "manage" && caller === "viewer") ok = status === 403
        else ok = status !== 401 && status !== 403 && status < 500
        if (!ok) failures.push(`${caller} ${method} ${path} -> ${status}`)
      }
    }
    expect(failures).toEqual([])
  })
})
