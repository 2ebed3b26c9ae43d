import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

/** The Manage pages say what is true, in the words a person sees (issue 13). */

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const SITE = "https://acme.atlassian.net"
const htmx = { "hx-request": "true" }

const jiraPage = async (cookie: string) => (await t.request("/manage/integrations/jira", { cookie })).text()

describe("the connection's state", () => {
  it("is 'Not tested yet' after Save, then what the last test of the saved connection found", async () => {
    const admin = await t.signIn("admin")
    expect(await jiraPage(admin)).toContain("Not connected")
    const credential = await t.connect(admin)
    const saved = await jiraPage(admin)
    expect(saved).toContain("Not tested yet")
    expect(saved).not.toContain("badge-ok")

    const tested = await t.form(
      "/manage/integrations/jira/test",
      { baseUrl: SITE, credentialId: credential.id, defaultJql: "" },
      admin,
      htmx
    )
    expect(tested.status).toBe(200)
    // The answer in place, and the head's state swapped out of band.
    const fragment = await tested.text()
    expect(fragment).toMatch(/<div class="actions" id="connection-state" hx-swap-oob="true">/)
    expect(fragment).toMatch(/Connected as bot@acme\.test<\/span> <span class="muted">\(tested <time/)
    expect(await jiraPage(admin)).toMatch(/id="connection-state">.*Connected as bot@acme\.test.*\(tested <time/s)

    await t.form(`/manage/credentials/${credential.id}/rotate`, { token: "a-wrong-token" }, admin)
    await t.form("/manage/integrations/jira/test", { baseUrl: SITE, credentialId: credential.id }, admin, htmx)
    const failed = await jiraPage(admin)
    expect(failed).toMatch(/id="connection-state">.*Last test failed<\/span> The Jira credential was refused/s)
    expect(failed).not.toContain("Connected as")
  })
})

describe("Test connection", () => {
  it("refuses the Default JQL Save refuses, with the same message on the same field", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const form = { name: "Acme Jira", baseUrl: SITE, credentialId: credential.id, defaultJql: "project = = (" }
    const tested = await t.form("/manage/integrations/jira/test", form, admin, htmx)
    expect(tested.status).toBe(422)
    const message = (await tested.text()).match(/role="alert">([^<]+)</)?.[1]
    expect(message).toMatch(/^Default JQL: /)
    const save = await t.form("/manage/integrations/jira", { ...form, version: "1" }, admin)
    expect(save.status).toBe(422)
    expect(await save.text()).toContain(message?.replace(/^Default JQL: /, ""))
    // Without htmx: the message on the field, what was typed kept.
    const page = await t.form("/manage/integrations/jira/test", form, admin)
    expect(page.status).toBe(422)
    expect(await page.text()).toContain("project = = (")
  })

  it("names each problem by the label a person sees", async () => {
    const admin = await t.signIn("admin")
    const res = await t.form(
      "/manage/integrations/jira/test",
      { baseUrl: "http://acme.atlassian.net", credentialId: "" },
      admin,
      htmx
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain("Site URL: The URL must start with https://.")
    expect(html).toContain("Credential: Select a credential.")
    expect(html).not.toMatch(/baseUrl:|credentialId:/)
  })
})

describe("plain language", () => {
  it("asks for an Atlassian email and an API token, with where to create one and its scopes", async () => {
    const admin = await t.signIn("admin")
    const html = await (await t.request("/manage/credentials", { cookie: admin })).text()
    expect(html).toContain('<label>Atlassian email<span class="hint">')
    expect(html).toContain('<label>API token<span class="hint">')
    expect(html).toContain('href="https://id.atlassian.com/manage-profile/security/api-tokens"')
    expect(html).toContain("<code>read:jira-work</code>")
    const visible = html.replace(/<input type="hidden"[^>]*>/g, "")
    for (const jargon of ["username_password", "provider", "The username.", "The password."]) {
      expect(visible, jargon).not.toContain(jargon)
    }
  })

  it("shows the audit log's actions and fields in words, the codes on hover, and no ∅", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    await t.form(
      "/manage/integrations/jira",
      { name: "Renamed", baseUrl: SITE, credentialId: credential.id, defaultJql: "", version: "1" },
      admin
    )
    const html = await (await t.request("/manage/audit", { cookie: admin })).text()
    expect(html).toContain('title="JIRA_CONFIG_CREATED" data-action="JIRA_CONFIG_CREATED">Jira connection created<')
    expect(html).toContain(">Jira connection changed<")
    expect(html).toContain(">Credential added<")
    expect(html).toContain('<strong title="baseUrl">Site URL</strong>: <span title="https://acme.atlassian.net">')
    // The credential by its name, not its id; the changed name as before → after.
    expect(html).toMatch(/<strong title="credentialId">Credential<\/strong>: <span title="[^"]+">Jira bot</)
    expect(html).toMatch(/<strong title="name">Name<\/strong>: <span title="Acme Jira">Acme Jira<\/span> →/)
    expect(html).not.toContain("∅")
    expect(html).not.toContain("<code>JIRA_CONFIG")
  })
})

describe("personal API tokens", () => {
  it("are a viewer's too: created, revoked after a confirmation, and both in the audit log", async () => {
    const viewer = await t.signIn("viewer")
    const page = await (await t.request("/manage/api-tokens", { cookie: viewer })).text()
    expect(page).toContain('<a href="/manage/api-tokens" aria-current="page">API tokens</a>')
    expect(page).not.toContain('href="/manage/audit"')

    const created = await t.form("/manage/api-tokens", { name: "My script", expires: "30" }, viewer)
    expect(created.status).toBe(201)
    const html = await created.text()
    const secret = html.match(/sciple_pat_[A-Za-z0-9_-]+/)?.[0] ?? ""
    expect(secret).not.toBe("")
    expect((await t.request("/api/v1/jira/config", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      403
    )
    const id = html.match(/\/manage\/api-tokens\/([^/"]+)\/revoke/)?.[1] ?? ""
    expect(html).toContain('hx-confirm="Revoke the token “My script”? Anything using it stops working at once."')

    const revoked = await t.form(`/manage/api-tokens/${id}/revoke`, {}, viewer, htmx)
    expect(revoked.status).toBe(204)
    expect(revoked.headers.get("hx-redirect")).toBe("/manage/api-tokens?done=revoked")
    expect(await (await t.request("/manage/api-tokens?done=revoked", { cookie: viewer })).text()).toContain(
      "Token revoked: it no longer works."
    )
    expect((await t.request("/api/v1/jira/config", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      401
    )

    const admin = await t.signIn("admin")
    const audit = await (await t.request("/manage/audit", { cookie: admin })).text()
    const rows = audit.split("<tr>").filter((row) => row.includes('data-action="API_TOKEN'))
    expect(rows.map((row) => row.match(/data-action="([A-Z_]+)"/)?.[1])).toEqual([
      "API_TOKEN_REVOKED",
      "API_TOKEN_CREATED"
    ])
    for (const row of rows) {
      expect(row).toContain("viewer@one.test")
      expect(row).toContain('<strong title="name">Name</strong>: <span title="My script">My script</span>')
      expect(row).toMatch(/<strong title="expiresAt">Expires<\/strong>: <span title="[^"]+">\d{4}-\d\d-\d\d</)
    }
    expect(audit).not.toContain(secret)
  })

  it("are another person's to revoke, not yours: a 404, nothing audited", async () => {
    const admin = await t.signIn("admin")
    const html = await (await t.form("/manage/api-tokens", { name: "Admin's" }, admin)).text()
    const id = html.match(/\/manage\/api-tokens\/([^/"]+)\/revoke/)?.[1] ?? ""
    const viewer = await t.signIn("viewer")
    expect((await t.form(`/manage/api-tokens/${id}/revoke`, {}, viewer)).status).toBe(404)
    expect(t.world.config.state.audit.map((e) => e.action)).toEqual(["API_TOKEN_CREATED"])
  })
})
