import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { FAKE_EMAIL, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { API_ROUTES } from "../../../src/http/api/routes.ts"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
})

describe("JSON API", () => {
  it("needs a signed-in user or an API token", async () => {
    const res = await t.request("/api/v1/jira/summary")
    expect(res.status).toBe(401)
    expect(res.headers.get("content-type")).toContain("application/problem+json")
    expect((await t.request("/api/v1/jira/summary", { headers: { authorization: "Bearer nope" } })).status).toBe(401)
  })

  it("connects Jira, reads every surface and removes it, all through the API", async () => {
    const admin = await t.signIn("admin")
    const created = await t.request("/api/v1/credentials", {
      ...json({ name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN }),
      cookie: admin
    })
    expect(created.status).toBe(201)
    const credential = (await created.json()) as { id: string; token?: string; secretRef?: string }
    expect(JSON.stringify(credential)).not.toContain(FAKE_TOKEN)
    expect(credential.secretRef).toBeUndefined()
    const tested = await t.request("/api/v1/jira/config/test", {
      ...json({ baseUrl: "https://acme.atlassian.net", credentialId: credential.id }),
      cookie: admin
    })
    expect(await tested.json()).toMatchObject({ ok: true, accountEmail: FAKE_EMAIL })
    const config = await t.request("/api/v1/jira/config", {
      ...json({ name: "Acme", baseUrl: "https://acme.atlassian.net", credentialId: credential.id }),
      cookie: admin
    })
    expect(config.status).toBe(201)
    expect(await config.json()).toMatchObject({ version: 1, defaultJql: "updated >= -30d ORDER BY updated DESC" })
    const summary = (await (await t.request("/api/v1/jira/summary", { cookie: admin })).json()) as {
      split: { open: number; todo: number; inProgress: number }
    }
    expect(summary.split.open).toBe(summary.split.todo + summary.split.inProgress)
    const projects = (await (await t.request("/api/v1/jira/projects?q=alp", { cookie: admin })).json()) as {
      projects: Array<{ key: string }>
    }
    expect(projects.projects.map((p) => p.key)).toEqual(["ALPHA"])
    const dashboard = (await (await t.request("/api/v1/jira/projects/ALPHA", { cookie: admin })).json()) as {
      sampleSize: number
      issues: { next: string | null; issues: Array<{ url: string }> }
    }
    expect(dashboard.sampleSize).toBe(100)
    expect(dashboard.issues.issues[0]?.url).toMatch(/^https:\/\/acme\.atlassian\.net\/browse\/ALPHA-/)
    const next = await t.request(
      `/api/v1/jira/projects/ALPHA/issues?cursor=${encodeURIComponent(dashboard.issues.next ?? "")}`,
      { cookie: admin }
    )
    expect(next.status).toBe(200)
    const put = await t.request("/api/v1/jira/config", {
      ...json({ name: "Renamed", baseUrl: "https://acme.atlassian.net", credentialId: credential.id, version: 1 }),
      method: "PUT",
      cookie: admin
    })
    expect(put.status).toBe(200)
    expect((await t.request("/api/v1/jira/config?version=2", { method: "DELETE", cookie: admin })).status).toBe(204)
    const audit = (await (await t.request("/api/v1/audit", { cookie: admin })).json()) as {
      events: Array<{ action: string }>
    }
    expect(audit.events.map((e) => e.action)).toEqual([
      "JIRA_CONFIG_DELETED",
      "JIRA_CONFIG_UPDATED",
      "JIRA_CONFIG_CREATED",
      "CREDENTIAL_CREATED"
    ])
    expect(JSON.stringify(audit)).not.toContain(FAKE_TOKEN)
  })

  it("refuses writes to a viewer with 403 and reads to nobody signed in", async () => {
    const viewer = await t.signIn("viewer")
    const res = await t.request("/api/v1/credentials", {
      ...json({ name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN }),
      cookie: viewer
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: "NotPermitted", status: 403 })
    expect((await t.request("/api/v1/jira/summary", { cookie: viewer })).status).toBe(409)
  })

  it("answers bad bodies with a clear 4xx that never echoes a token", async () => {
    const admin = await t.signIn("admin")
    const wrongType = await t.request("/api/v1/credentials", {
      method: "POST",
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      cookie: admin
    })
    expect(wrongType.status).toBe(415)
    const malformed = await t.request("/api/v1/credentials", {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
      cookie: admin
    })
    expect(malformed.status).toBe(400)
    const notUtf8 = await t.request("/api/v1/credentials", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { "content-type": "application/json" },
      cookie: admin
    })
    expect(notUtf8.status).toBe(400)
    const unknown = await t.request("/api/v1/credentials", {
      ...json({ name: "Bot", username: FAKE_EMAIL, token: "x", admin: true }),
      cookie: admin
    })
    expect(unknown.status).toBe(422)
    const numeric = await t.request("/api/v1/credentials", {
      ...json({ name: "Bot", username: FAKE_EMAIL, token: 987654321 }),
      cookie: admin
    })
    expect(numeric.status).toBe(422)
    expect(await numeric.text()).not.toContain("987654321")
    const big = await t.request("/api/v1/credentials", {
      ...json({ name: "x".repeat(70_000), username: FAKE_EMAIL, token: "x" }),
      cookie: admin
    })
    expect(big.status).toBe(413)
    const fields = await t.request("/api/v1/credentials", {
      ...json({ name: "", username: "nope", token: "t" }),
      cookie: admin
    })
    expect(fields.status).toBe(422)
    expect(((await fields.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual([
      "name",
      "username"
    ])
  })

  it("answers every route with 401 to nobody, 403 to a viewer for writes, and never 401/403 to an admin", async () => {
    const viewer = await t.signIn("viewer")
    const admin = await t.signIn("admin")
    for (const route of API_ROUTES) {
      const path = route.path.replace("{key}", "ALPHA").replace("{id}", "missing")
      const init = {
        method: route.method.toUpperCase(),
        ...(route.body === undefined ? {} : { body: "{}", headers: { "content-type": "application/json" } })
      }
      const label = `${route.method} ${route.path}`
      expect((await t.request(path, init)).status, label).toBe(401)
      const asViewer = (await t.request(path, { ...init, cookie: viewer })).status
      if (route.permission === "settings.manage") expect(asViewer, label).toBe(403)
      else expect([401, 403], label).not.toContain(asViewer)
      expect([401, 403], label).not.toContain((await t.request(path, { ...init, cookie: admin })).status)
    }
  })

  it("serves an OpenAPI 3.1 document listing every route, and a reference page", async () => {
    const doc = (await (await t.request("/api/openapi.json")).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe("3.1.0")
    for (const route of API_ROUTES)
      expect(doc.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined()
    expect(doc.components.schemas.CredentialBody).toMatchObject({ additionalProperties: false })
    expect(JSON.stringify(doc)).not.toContain("#/$defs/")
    const page = await (await t.request("/api/docs")).text()
    expect(page).toContain("GET /api/v1/jira/summary")
    expect(page).not.toContain("<script")
  })
})
