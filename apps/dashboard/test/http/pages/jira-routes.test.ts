import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

// adr/0020 as a person meets it: scopes on the credential form, the route of a test, a refused credential, and a
// table whose next-page link Jira no longer accepts.

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const CREDENTIAL_REFUSED = "The Jira credential was refused: check the token or create a new one."

describe("Jira routes and credential answers on the pages and the API", () => {
  it("the credential form explains scoped tokens and names the scopes to give", async () => {
    const admin = await t.signIn("admin")
    const html = await (await t.request("/manage/credentials", { cookie: admin })).text()
    expect(html).toContain("A token with scopes")
    expect(html).toContain("<code>read:jira-work</code>")
    expect(html).toContain("<code>read:jira-user</code>")
    expect(html).toContain("<code>read:jql:jira</code>")
  })

  it("a connection test says which route it took, and the API returns it with the cloudId", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const res = await t.form(
      "/manage/integrations/jira/test",
      { baseUrl: "https://acme.atlassian.net", credentialId: credential.id },
      admin,
      { "hx-request": "true" }
    )
    expect(await res.text()).toContain("directly on the site")
    const config = (await (await t.request("/api/v1/jira/config", { cookie: admin })).json()) as {
      config: { route: string | null; cloudId: string | null; health: { route: string | null } | null }
    }
    expect(config.config).toMatchObject({ route: "site", cloudId: "cloud-acme.atlassian.net" })
    expect(config.config.health?.route).toBe("site")
  })

  it("a revoked token on a project page says the credential was refused, never that the project is missing", async () => {
    const admin = await t.signIn("admin")
    const credential = await t.connect(admin)
    const rotated = await t.form(
      `/manage/credentials/${encodeURIComponent(credential.id)}/rotate`,
      { token: "revoked-token" },
      admin
    )
    expect(rotated.status).toBe(303)
    const page = await t.request("/projects/ALPHA", { cookie: admin })
    const html = await page.text()
    expect(page.status).toBe(502)
    expect(html).toContain(CREDENTIAL_REFUSED)
    expect(html).not.toContain("No Jira project")
    const api = await t.request("/api/v1/jira/projects/ALPHA", { cookie: admin })
    expect(api.status).toBe(502)
    expect(await api.json()).toMatchObject({ code: "JiraUnauthorized", detail: CREDENTIAL_REFUSED })
  })

  it("a load-more link whose page token Jira refuses starts the table over, with a notice", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "project = ALPHA ORDER BY key ASC")
    const res = await t.request("/fragments/projects/ALPHA/issues?cursor=50.expired-token", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get("hx-retarget")).toBe("#issue-table")
    expect(res.headers.get("hx-reswap")).toBe("outerHTML")
    const html = await res.text()
    expect(html).toContain("The list was restarted from the first page")
    expect(html).toContain('id="issue-table"')
    const api = await t.request("/api/v1/jira/projects/ALPHA/issues?cursor=50.expired-token", { cookie: admin })
    expect(await api.json()).toMatchObject({ restarted: true })
  })
})
