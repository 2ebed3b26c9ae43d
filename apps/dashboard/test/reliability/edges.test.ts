import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type App, Client, type FreshDatabase, freshDatabase, startApp } from "../support/reliability.ts"

/**
 * Edges issue 14 found on the running app (findings 3 and 5), over real HTTP on the real database: Node's
 * HTTP server refuses some header values the Web API accepts, and the database refuses some dates JavaScript accepts.
 */

let database: FreshDatabase
let app: App
let admin: Client
beforeAll(async () => {
  database = await freshDatabase()
  app = await startApp(database)
  admin = await new Client(app.url).signIn()
})
afterAll(async () => {
  await app?.close()
  await database?.drop()
})

describe("next over real HTTP", () => {
  it.each(["/\t/evil.example", "/\v/evil.example", "/\r\n/evil.example", "/\\evil.example", "/\u0085x"])(
    "%j lands on / with the security headers",
    async (next) => {
      const reply = await new Client(app.url).send("POST", "/login", {
        body: new URLSearchParams({
          email: "admin@reliability.test",
          password: "reliability-password",
          next
        }).toString(),
        type: "application/x-www-form-urlencoded"
      })
      expect(reply.status).toBe(303)
      expect(reply.headers.get("location")).toBe("/")
      expect(reply.headers.get("content-security-policy")).toContain("default-src 'self'")
    }
  )
})

describe("the audit cursor on the database", () => {
  it.each(["0000-01-01", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00.000Z", "9999-99-99"])(
    "before_at=%s answers 422 naming before_at, not 503",
    async (at) => {
      const api = await admin.api("GET", `/api/v1/audit?before_at=${encodeURIComponent(at)}&before_id=x`)
      expect(api.status).toBe(422)
      expect(api.text).toContain("before_at")
      const page = await admin.page(`/manage/audit?before_at=${encodeURIComponent(at)}&before_id=x`)
      expect(page.status).toBe(422)
    }
  )
})
