import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DASHBOARD_VIEW, SETTINGS_MANAGE } from "@sciple/jira-core"
import { API_ROUTES } from "../../src/http/api/routes.ts"
import { guardCheckOf } from "../../src/http/guards.tsx"
import { makeTestApp, type TestApp } from "../support/harness.ts"
import { PUBLIC_ROUTES } from "../support/public-routes.ts"

/**
 * Every route the app registers, read from its router: each one outside the public list sits behind the sign-in
 * guard and then the guard of the permission it needs, registered on its own method and path ahead of its handler.
 */

const PUBLIC = PUBLIC_ROUTES

const permissionOf = (method: string, path: string) => {
  const api = API_ROUTES.find((r) => r.method.toUpperCase() === method && r.path.replace(/\{(\w+)\}/g, ":$1") === path)
  if (api !== undefined) return api.permission
  // A person's own API tokens are everyone's; the rest of Manage is for settings.manage.
  if (path.startsWith("/manage/api-tokens")) return DASHBOARD_VIEW
  return path === "/manage" || path.startsWith("/manage/") ? SETTINGS_MANAGE : DASHBOARD_VIEW
}

let t: TestApp
beforeAll(async () => {
  t = await makeTestApp()
})
afterAll(async () => {
  await t.dispose()
})

describe("every mounted surface is guarded", () => {
  it("puts sign-in, then the needed permission, in front of every route that is not public", () => {
    const entries = t.app.routes.map((route, index) => ({ ...route, index, check: guardCheckOf(route.handler) }))
    // App-wide middleware (`ALL /*`) is not a route; every endpoint is a GET, POST, PUT or DELETE.
    const handlers = entries.filter((r) => r.method !== "ALL" && r.check === undefined)
    const guarded = handlers.filter((r) => !PUBLIC.has(`${r.method} ${r.path}`))
    expect(guarded.length).toBeGreaterThanOrEqual(25)
    const failures: Array<string> = []
    for (const route of guarded) {
      const guards = entries.filter(
        (r) => r.check !== undefined && r.method === route.method && r.path === route.path && r.index < route.index
      )
      const expected = ["signed-in", permissionOf(route.method, route.path)]
      const checks = guards.map((g) => g.check)
      if (JSON.stringify(checks) !== JSON.stringify(expected))
        failures.push(`${route.method} ${route.path}: ${checks.join(", ") || "no guard"}`)
    }
    expect(failures).toEqual([])
  })

  it("guards no public route, and every API route it lists", () => {
    const guardedPaths = new Set(t.app.routes.filter((r) => guardCheckOf(r.handler) !== undefined).map((r) => r.path))
    for (const entry of PUBLIC) expect(guardedPaths.has(entry.split(" ")[1]!), entry).toBe(false)
    for (const route of API_ROUTES)
      expect(guardedPaths.has(route.path.replace(/\{(\w+)\}/g, ":$1")), route.path).toBe(true)
  })
})
