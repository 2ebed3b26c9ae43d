import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { FAKE_TOKEN } from "@sciple/jira-core/testing"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

describe("sign-in", () => {
  it("sends anonymous visitors to the sign-in page and back", async () => {
    const res = await t.request("/projects?q=x")
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toBe("/login?next=%2Fprojects%3Fq%3Dx")
  })

  it("signs in with an HttpOnly, SameSite=Lax session cookie and signs out on the server", async () => {
    const res = await t.form("/login", {
      email: "ADMIN@one.test",
      password: "correct horse battery staple",
      next: "/projects"
    })
    expect(res.status).toBe(303)
    expect(res.headers.get("location")).toBe("/projects")
    const setCookie = res.headers.get("set-cookie") ?? ""
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const cookie = setCookie.split(";")[0]!
    expect((await t.request("/", { cookie })).status).toBe(200)
    expect((await t.form("/logout", {}, cookie)).status).toBe(303)
    expect((await t.request("/", { cookie })).status).toBe(303)
  })

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const unknown = await t.form("/login", { email: "nobody@one.test", password: "x" })
    const wrong = await t.form("/login", { email: "admin@one.test", password: "wrong password" })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    const message = (html: string) => html.match(/role="alert">([^<]*)</)?.[1]
    expect(message(await unknown.text())).toBe(message(await wrong.text()))
  })

  it("refuses a next URL that leaves the site", async () => {
    const res = await t.form("/login", {
      email: "admin@one.test",
      password: "correct horse battery staple",
      next: "//evil.com"
    })
    expect(res.headers.get("location")).toBe("/")
  })

  it("refuses cross-site form posts", async () => {
    const res = await t.form(
      "/login",
      { email: "admin@one.test", password: "correct horse battery staple" },
      undefined,
      {
        origin: "https://evil.example"
      }
    )
    expect(res.status).toBe(403)
  })
})

describe("sign-in hardening", () => {
  it("throttles an account after five failures, with the same message for everyone", async () => {
    for (let i = 0; i < 5; i++)
      expect((await t.form("/login", { email: "admin@one.test", password: `wrong ${i}` })).status).toBe(401)
    const blocked = await t.form("/login", { email: "admin@one.test", password: "correct horse battery staple" })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0)
    // Another account from the same client is not: five failures on one account lock that pair, not the client.
    expect(
      (await t.form("/login", { email: "viewer@one.test", password: "correct horse battery staple" })).status
    ).toBe(303)
  })

  it("rotates the session id at sign-in", async () => {
    const first = await t.signIn("admin")
    const res = await t.form("/login", { email: "admin@one.test", password: "correct horse battery staple" }, first)
    const second = res.headers.get("set-cookie")?.split(";")[0]
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    expect((await t.request("/", { cookie: first })).status).toBe(303)
    expect((await t.request("/", { cookie: second! })).status).toBe(200)
  })

  it("refuses htmx requests and form posts from another origin", async () => {
    const admin = await t.signIn("admin")
    const htmx = await t.form("/manage/credentials", { name: "x", username: "a@b.test", token: "t" }, admin, {
      origin: "https://evil.example",
      "hx-request": "true"
    })
    expect(htmx.status).toBe(403)
    const sameSiteHeader = await t.form("/manage/credentials", { name: "x", username: "a@b.test", token: "t" }, admin, {
      origin: "null",
      "sec-fetch-site": "cross-site"
    })
    expect(sameSiteHeader.status).toBe(403)
    expect(t.world.config.state.credentials.size).toBe(0)
  })
})

describe("home", () => {
  it("invites an admin to connect Jira, and tells a viewer to ask", async () => {
    const admin = await t.signIn("admin")
    expect(await (await t.request("/", { cookie: admin })).text()).toContain('href="/manage/integrations/jira"')
    const viewer = await t.signIn("viewer")
    const html = await (await t.request("/", { cookie: viewer })).text()
    expect(html).toContain("Ask a workspace administrator")
    expect(html).not.toContain("Manage</a>")
  })

  it("shows the open total and the split once connected", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const html = await (await t.request("/", { cookie: admin })).text()
    expect(html).toContain("Open issues")
    expect(html).toContain("updated &gt;= -30d ORDER BY updated DESC")
    expect(t.world.jira.calls.filter((c) => c.op === "countIssues")).toHaveLength(3)
    expect(html).not.toContain(FAKE_TOKEN)
  })

  it("shows Jira's failure inside the widget while the page renders", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const { JiraRateLimited } = await import("@sciple/jira-core")
    t.world.jira.faults.failNext(
      "countIssues",
      new JiraRateLimited({ retryAfterSeconds: 30, reason: "jira-burst-based" })
    )
    const res = await t.request("/", { cookie: admin })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain("Jira is rate limiting this site; retrying in 30 s.")
    expect(html).toContain("<h1>Home</h1>")
  })
})

describe("projects and a project", () => {
  it("lists and searches projects, as a page and as a fragment with the page URL pushed", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const page = await (await t.request("/projects", { cookie: admin })).text()
    expect(page).toContain("Service Desk")
    expect(page).toContain("Product discovery")
    const fragment = await t.request("/fragments/projects?q=desk", { cookie: admin, headers: { "hx-request": "true" } })
    expect(fragment.headers.get("hx-push-url")).toBe("/projects?q=desk")
    const html = await fragment.text()
    expect(html).toContain("Service Desk")
    expect(html).not.toContain("Alpha")
  })

  it("renders stat cards, two captioned charts and the issue table with links out to Jira", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const html = await (await t.request("/projects/ALPHA", { cookie: admin })).text()
    expect(html).toContain("By priority")
    expect(html).toContain("By assignee")
    expect(html).toContain("Tallied from the 100 most recent matching issues")
    expect(html).toMatch(
      /href="https:\/\/acme\.atlassian\.net\/browse\/ALPHA-\d+" target="_blank" rel="noopener noreferrer"/
    )
    // Charts whose bars are links are groups of links, not one image.
    expect(html).toContain('role="group"')
    expect(t.world.jira.calls.length).toBeLessThanOrEqual(5)
  })

  it("filters the table as a fragment and pushes the filtered page URL", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/fragments/projects/ALPHA/issues?status=done&assignee=unassigned", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(res.headers.get("hx-push-url")).toBe("/projects/ALPHA?status=done&assignee=unassigned")
    const html = await res.text()
    expect(html).toContain('id="issue-table"')
    expect(html).not.toContain("In Arbeit")
  })

  it("answers 404 for an unknown project", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    expect((await t.request("/projects/NOPE", { cookie: admin })).status).toBe(404)
  })
})

describe("manage", () => {
  it("is refused to a viewer with 403, but for their own API tokens", async () => {
    const viewer = await t.signIn("viewer")
    for (const path of ["/manage/credentials", "/manage/integrations/jira", "/manage/audit"]) {
      expect((await t.request(path, { cookie: viewer })).status, path).toBe(403)
    }
    expect((await t.request("/manage/api-tokens", { cookie: viewer })).status).toBe(200)
  })

  it("creates a credential without ever showing its token, and names bad fields", async () => {
    const admin = await t.signIn("admin")
    const bad = await t.form("/manage/credentials", { name: "", username: "nope", token: "" }, admin)
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain("Name is required.")
    expect(html).toContain("Atlassian email must be an email address.")
    const ok = await t.form(
      "/manage/credentials",
      { name: "Bot", username: "bot@acme.test", token: "s3cret-token-value" },
      admin
    )
    expect(ok.status).toBe(303)
    const list = await (await t.request("/manage/credentials", { cookie: admin })).text()
    expect(list).toContain("bot@acme.test")
    expect(list).not.toContain("s3cret-token-value")
  })

  it("tests the connection as a fragment with a green badge", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const res = await t.form(
      "/manage/integrations/jira/test",
      { baseUrl: "https://acme.atlassian.net", credentialId: credential.id },
      admin,
      { "hx-request": "true" }
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toContain("Connected as bot@acme.test")
  })

  it("shows a bad base URL on its field and keeps what was typed", async () => {
    const admin = await t.signIn("admin")
    const res = await t.form(
      "/manage/integrations/jira",
      { name: "J", baseUrl: "https://atlassian.net.evil.com", credentialId: "", defaultJql: "" },
      admin
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain("The host must be a Jira Cloud site")
    expect(html).toContain('value="https://atlassian.net.evil.com"')
  })

  it("removes the connection and lists all three configuration events in the audit log", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const update = await t.form(
      "/manage/integrations/jira",
      {
        name: "Renamed",
        baseUrl: "https://acme.atlassian.net",
        credentialId: credential.id,
        defaultJql: "",
        version: "1"
      },
      admin
    )
    expect(update.status).toBe(303)
    const stale = await t.form(
      "/manage/integrations/jira",
      {
        name: "Stale",
        baseUrl: "https://acme.atlassian.net",
        credentialId: credential.id,
        defaultJql: "",
        version: "1"
      },
      admin
    )
    expect(stale.status).toBe(409)
    expect((await t.form("/manage/integrations/jira/remove", { version: "2" }, admin)).status).toBe(303)
    const audit = await (await t.request("/manage/audit", { cookie: admin })).text()
    for (const action of ["JIRA_CONFIG_CREATED", "JIRA_CONFIG_UPDATED", "JIRA_CONFIG_DELETED", "CREDENTIAL_CREATED"]) {
      expect(audit).toContain(action)
    }
    expect(audit).toContain("admin@one.test")
  })

  it("creates an API token shown once, which the JSON API accepts until revoked", async () => {
    const admin = await t.signIn("admin")
    const created = await (await t.form("/manage/api-tokens", { name: "CI" }, admin)).text()
    const token = created.match(/sciple_pat_[A-Za-z0-9_-]+/)?.[0]
    expect(token).toBeDefined()
    const api = await t.request("/api/v1/credentials", { headers: { authorization: `Bearer ${token}` } })
    expect(api.status).toBe(200)
    const list = await (await t.request("/manage/api-tokens", { cookie: admin })).text()
    expect(list).not.toContain(token!)
    const id = [
      ...(await t.runtime.runPromise(t.accounts.store.listApiTokens("u-admin" as never, "ws-1" as never)))
    ][0]!.id
    await t.form(`/manage/api-tokens/${id}/revoke`, {}, admin)
    expect((await t.request("/api/v1/credentials", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
  })
})

describe("the edges", () => {
  it("answers health and readiness", async () => {
    expect(await (await t.request("/healthz")).json()).toEqual({ status: "ok" })
    expect(await (await t.request("/readyz")).json()).toEqual({ status: "ready" })
  })

  it("sends a CSP that allows scripts only from the app", async () => {
    const csp = (await t.request("/login")).headers.get("content-security-policy") ?? ""
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain("unsafe-inline")
  })

  it("serves htmx and the stylesheet from the app itself", async () => {
    const js = await t.request("/static/htmx.min.js")
    expect(js.status).toBe(200)
    expect(js.headers.get("content-type")).toContain("javascript")
    expect((await t.request("/static/app.css")).status).toBe(200)
    const afterSwap = await t.request("/static/after-swap.js")
    expect({ status: afterSwap.status, type: afterSwap.headers.get("content-type") }).toEqual({
      status: 200,
      type: "text/javascript; charset=utf-8"
    })
    expect(await (await t.request("/login")).text()).toContain('<script src="/static/after-swap.js" defer=""></script>')
  })
})
