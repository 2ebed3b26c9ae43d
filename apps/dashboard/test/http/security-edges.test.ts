import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { UserId, WorkspaceId } from "@sciple/jira-core"
import { FAKE_EMAIL, FAKE_TOKEN } from "@sciple/jira-core/testing"
import fc from "fast-check"
import { AccountStore, ApiToken } from "../../src/identity/index.ts"
import { makeTestApp, PASSWORD, type TestApp, USERS } from "../support/harness.ts"

/** The edges issue 14 found, each reproduced through HTTP (findings 3, 4, 6, 7 and the hardening gaps). */

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const hasSecurityHeaders = (res: Response) => {
  expect(res.headers.get("content-security-policy")).toContain("default-src 'self'")
  expect(res.headers.get("x-content-type-options")).toBe("nosniff")
}

describe("finding 3: next is a same-site path or /", () => {
  const HOSTILE = [
    "/\t/evil.example",
    "/\v/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "//evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "/%0d%0aSet-Cookie:x=1",
    "\t//evil.example",
    "javascript:alert(1)",
    "/\u2028/evil.example",
    "/\u0000"
  ]

  it("lands every hostile form on / with the security headers, at sign-in and on the sign-in page", async () => {
    for (const next of HOSTILE) {
      const res = await t.form("/login", { email: USERS.admin.email, password: PASSWORD, next })
      expect(res.status, JSON.stringify(next)).toBe(303)
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/")
      hasSecurityHeaders(res)
      const page = await t.request(`/login?next=${encodeURIComponent(next)}`)
      expect(page.status, JSON.stringify(next)).toBe(200)
      expect(await page.text()).toContain('name="next" value="/"')
      hasSecurityHeaders(page)
    }
    // 13 real sign-ins (scrypt) on a shared 2-core machine.
  }, 120_000)

  it("keeps a same-site path with its query", async () => {
    const res = await t.form("/login", { email: USERS.admin.email, password: PASSWORD, next: "/projects?q=a%20b" })
    expect(res.headers.get("location")).toBe("/projects?q=a%20b")
  })

  it("fuzzed: no next, path or query answers 500 or without security headers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 40 }), async (value) => {
        const page = await t.request(`/login?next=${encodeURIComponent(value)}`)
        expect(page.status).toBe(200)
        hasSecurityHeaders(page)
        const res = await t.form("/login", { email: "nobody@one.test", password: "x", next: value })
        expect([401, 429]).toContain(res.status)
        hasSecurityHeaders(res)
        const other = await t.request(`/${encodeURIComponent(value)}?before_at=${encodeURIComponent(value)}`)
        expect(other.status).toBeLessThan(500)
        hasSecurityHeaders(other)
      }),
      { numRuns: 60 }
    )
  }, 120_000)

  it("not-found and error answers carry the security headers too", async () => {
    hasSecurityHeaders(await t.request("/no/such/page"))
    hasSecurityHeaders(await t.request("/api/v1/nothing"))
  })
})

/** A multipart body with `bytes` as the value of `field`, built by hand: fetch would re-encode a string. */
const multipart = (fields: Record<string, string>, field: string, bytes: Uint8Array) => {
  const boundary = "----sciple-boundary-7d1"
  const parts: Array<Uint8Array> = []
  const enc = new TextEncoder()
  for (const [name, value] of Object.entries(fields))
    parts.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  parts.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n`))
  parts.push(bytes)
  parts.push(enc.encode(`\r\n--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }
}

describe("finding 4: one strict body parser", () => {
  it("refuses a multipart credential whose token is not UTF-8 with 400 naming the field, storing nothing", async () => {
    const admin = await t.signIn("admin")
    const { body, type } = multipart(
      { name: "Bot", username: FAKE_EMAIL },
      "token",
      new Uint8Array([0x61, 0xff, 0xfe, 0x62])
    )
    const res = await t.request("/manage/credentials", {
      method: "POST",
      body,
      headers: { "content-type": type },
      cookie: admin
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain("token")
    hasSecurityHeaders(res)
    expect(t.world.config.state.credentials.size).toBe(0)
  })

  it("still accepts a valid multipart form", async () => {
    const admin = await t.signIn("admin")
    const { body, type } = multipart(
      { name: "Bot", username: FAKE_EMAIL },
      "token",
      new TextEncoder().encode(FAKE_TOKEN)
    )
    const res = await t.request("/manage/credentials", {
      method: "POST",
      body,
      headers: { "content-type": type },
      cookie: admin
    })
    expect(res.status).toBe(303)
    expect(t.world.config.state.credentials.size).toBe(1)
  })

  it("refuses an urlencoded body with a bad percent-escape, naming the body", async () => {
    const admin = await t.signIn("admin")
    const res = await t.request("/manage/credentials", {
      method: "POST",
      body: "name=Bot&username=a%40b.test&token=%ff%fe",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      cookie: admin
    })
    expect(res.status).toBe(400)
    expect(t.world.config.state.credentials.size).toBe(0)
  })
})

describe("audit cursor and number parameters (finding 5)", () => {
  const BAD = [
    ["before_at=0000-01-01&before_id=x", "before_at"],
    ["before_at=not-a-date&before_id=x", "before_at"],
    ["before_at=2026-01-01T00:00:00.000Z", "before_id"],
    ["limit=abc", "limit"],
    ["limit=1000", "limit"]
  ] as const

  it("answers 422 naming the parameter, on the API and on the page", async () => {
    const admin = await t.signIn("admin")
    for (const [query, name] of BAD) {
      const api = await t.request(`/api/v1/audit?${query}`, { cookie: admin })
      expect(api.status, query).toBe(422)
      const problem = (await api.json()) as { errors: Array<{ field: string }> }
      expect(
        problem.errors.map((e) => e.field),
        query
      ).toContain(name)
      if (name !== "limit") {
        const page = await t.request(`/manage/audit?${query}`, { cookie: admin })
        expect(page.status, query).toBe(422)
        expect(await page.text(), query).toContain(name)
      }
    }
    const pageNumber = await t.request("/api/v1/jira/projects?page=-3", { cookie: admin })
    expect(pageNumber.status).toBe(422)
  })
})

describe("finding 6: Remove requires the current version", () => {
  it("refuses a missing or malformed version with 422 and a stale one with 409; the connection stays", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    for (const version of [undefined, "", "abc", "1.5"]) {
      const fields: Record<string, string> = version === undefined ? {} : { version }
      expect((await t.form("/manage/integrations/jira/remove", fields, admin)).status, String(version)).toBe(422)
    }
    expect((await t.request("/api/v1/jira/config", { method: "DELETE", cookie: admin })).status).toBe(422)
    expect((await t.request("/api/v1/jira/config?version=x", { method: "DELETE", cookie: admin })).status).toBe(422)
    expect((await t.form("/manage/integrations/jira/remove", { version: "7" }, admin)).status).toBe(409)
    expect(t.world.config.state.configs.size).toBe(1)
    expect((await t.form("/manage/integrations/jira/remove", { version: "1" }, admin)).status).toBe(303)
    expect(t.world.config.state.configs.size).toBe(0)
  })
})

const createToken = async (cookie: string) => {
  const res = await t.form("/manage/api-tokens", { name: "script" }, cookie)
  expect(res.status).toBe(201)
  const token = (await res.text()).match(/sciple_pat_[A-Za-z0-9_-]+/)?.[0]
  if (token === undefined) throw new Error("no token shown")
  return token
}

describe("finding 7: CSRF keys on how the request is authenticated", () => {
  it("a Bearer DELETE without Content-Type or Origin works", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const token = await createToken(admin)
    const res = await t.app.request("/api/v1/jira/config?version=1", {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` }
    })
    expect(res.status).toBe(204)
    expect(t.world.config.state.configs.size).toBe(0)
  })

  it("a cookie-authenticated JSON post without a same-origin Origin is refused", async () => {
    const admin = await t.signIn("admin")
    for (const headers of [
      { "content-type": "application/json" },
      { "content-type": "application/json", origin: "https://evil.example" },
      { "content-type": "application/json", "sec-fetch-site": "cross-site" }
    ]) {
      const res = await t.app.request("/api/v1/credentials", {
        method: "POST",
        headers: { ...headers, cookie: admin },
        body: JSON.stringify({ name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN })
      })
      expect(res.status, JSON.stringify(headers)).toBe(403)
      hasSecurityHeaders(res)
    }
    const sameSite = await t.app.request("/api/v1/credentials", {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", cookie: admin },
      body: JSON.stringify({ name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN })
    })
    expect(sameSite.status).toBe(201)
  })
})

describe("hardening: caching and the session cookie", () => {
  it("every signed-in page, fragment and API answer says Cache-Control: no-store", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    for (const path of ["/", "/projects", "/fragments/jira-widget", "/manage/credentials", "/api/v1/jira/config"]) {
      const res = await t.request(path, { cookie: admin })
      expect(res.status, path).toBeLessThan(400)
      expect(res.headers.get("cache-control"), path).toContain("no-store")
    }
  })

  it("the API clips q as the pages do", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request(`/api/v1/jira/projects/ALPHA/issues?q=${"x".repeat(15_000)}`, { cookie: admin })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: Array<{ field: string }> }).errors[0]?.field).toBe("q")
    expect(t.world.jira.calls).toEqual([])
  })
})

describe("hardening: API tokens expire", () => {
  it("defaults to 90 days, offers no expiry only by choice, and shows the expiry in the list", async () => {
    const admin = await t.signIn("admin")
    const form = await (await t.request("/manage/api-tokens", { cookie: admin })).text()
    expect(form).toMatch(/<option value="90" selected[^>]*>90 days/)
    expect((await t.form("/manage/api-tokens", { name: "default" }, admin)).status).toBe(201)
    expect((await t.form("/manage/api-tokens", { name: "forever", expires: "never" }, admin)).status).toBe(201)
    expect((await t.form("/manage/api-tokens", { name: "odd", expires: "7" }, admin)).status).toBe(422)
    const list = await (await t.request("/manage/api-tokens", { cookie: admin })).text()
    const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10)
    expect(list).toContain(in90)
    expect(list).toMatch(/forever<\/td>(.|\n)*?never(.|\n)*?never/)
  })

  it("refuses an expired token with a 401 that says so", async () => {
    const admin = await t.signIn("admin")
    const token = await createToken(admin)
    const stored = await t.runtime.runPromise(
      AccountStore.use((a) => a.listApiTokens(UserId.make(USERS.admin.user), WorkspaceId.make(USERS.admin.workspace)))
    )
    const [first] = stored
    if (first === undefined) throw new Error("no token stored")
    await t.runtime.runPromise(
      AccountStore.use((a) => a.createApiToken(new ApiToken({ ...first, expiresAt: new Date(Date.now() - 1000) })))
    )
    const res = await t.app.request("/api/v1/jira/config", { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^The API token expired on \d{4}-\d{2}-\d{2}/)
  })
})

describe("hardening: idempotent writes", () => {
  it("a double-submitted token form creates one token; the repeat says so without a second secret", async () => {
    const admin = await t.signIn("admin")
    const formPage = await (await t.request("/manage/api-tokens", { cookie: admin })).text()
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(formPage)?.[1]
    if (key === undefined) throw new Error("no idempotency key on the form")
    const submit = () => t.form("/manage/api-tokens", { name: "Twice", idempotencyKey: key }, admin)
    const both = await Promise.all([submit(), submit()])
    const again = await submit()
    const pages = await Promise.all([...both, again].map(async (r) => ({ status: r.status, html: await r.text() })))
    expect(pages.filter((p) => p.status === 201)).toHaveLength(1)
    for (const repeat of pages.filter((p) => p.status !== 201)) {
      expect(repeat.status).toBe(200)
      expect(repeat.html).toContain("already created its token")
      expect(repeat.html).not.toContain("sciple_pat_")
    }
    const stored = await t.runtime.runPromise(
      AccountStore.use((a) => a.listApiTokens(UserId.make(USERS.admin.user), WorkspaceId.make(USERS.admin.workspace)))
    )
    expect(stored.map((s) => s.name)).toEqual(["Twice"])
    // Another rendered form has another key: a second token, on purpose.
    const next = await (await t.request("/manage/api-tokens", { cookie: admin })).text()
    expect(/name="idempotencyKey" value="([^"]+)"/.exec(next)?.[1]).not.toBe(key)
    expect((await t.form("/manage/api-tokens", { name: "Bad", idempotencyKey: "../x" }, admin)).status).toBe(422)
  })

  it("a repeated Save of the connection with the same version and values succeeds; other values get 409", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const save = (name: string) =>
      t.form(
        "/manage/integrations/jira",
        { name, baseUrl: "https://acme.atlassian.net", credentialId: credential.id, defaultJql: "", version: "1" },
        admin
      )
    expect((await save("Renamed")).status).toBe(303)
    expect((await save("Renamed")).status).toBe(303)
    expect((await save("Other")).status).toBe(409)
  })
})
