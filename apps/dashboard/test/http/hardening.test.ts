import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import type { JiraProject } from "@sciple/jira-core"
import { aFakeSite, aProject, FAKE_EMAIL, FAKE_SITE, FAKE_TOKEN, someIssues } from "@sciple/jira-core/testing"
import { createJiraSimulator } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { setupServer } from "msw/node"
import { urlEncodedFault } from "../../src/http/strict-bodies.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"

const corpus = <A>(name: string): ReadonlyArray<A> =>
  (JSON.parse(readFileSync(new URL(`../../test-data/${name}`, import.meta.url), "utf8")) as { cases: ReadonlyArray<A> })
    .cases

const BASE_URLS = corpus<{ url: string; why: string }>("hostile-base-urls.json")
const JQL_VALUES = corpus<string>("jql-injection.json")
const HTML_PAYLOADS = corpus<string>("html-payloads.json")

const json = (method: string, body: unknown) => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
})

describe("hostile base URLs", () => {
  it(`refuses all ${BASE_URLS.length} with 422 on the base URL field, changing nothing and calling nobody`, async () => {
    expect(BASE_URLS.length).toBeGreaterThanOrEqual(40)
    const t = await makeTestApp()
    try {
      const admin = await t.signIn("admin")
      const created = await t.request("/api/v1/credentials", {
        ...json("POST", { name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN }),
        cookie: admin
      })
      const { id } = (await created.json()) as { id: string }
      const auditBefore = t.world.config.state.audit.length
      for (const { url, why } of BASE_URLS) {
        const save = await t.request("/api/v1/jira/config", {
          ...json("POST", { name: "J", baseUrl: url, credentialId: id }),
          cookie: admin
        })
        expect(save.status, why).toBe(422)
        const problem = (await save.json()) as { errors: Array<{ field: string; message: string }> }
        expect(
          problem.errors.map((e) => e.field),
          why
        ).toContain("baseUrl")
        const test = await t.request("/api/v1/jira/config/test", {
          ...json("POST", { baseUrl: url, credentialId: id }),
          cookie: admin
        })
        expect(test.status, why).toBe(422)
        const form = await t.form(
          "/manage/integrations/jira",
          { name: "J", baseUrl: url, credentialId: id, defaultJql: "", version: "" },
          admin
        )
        expect(form.status, why).toBe(422)
      }
      expect(t.world.config.state.configs.size).toBe(0)
      expect(t.world.config.state.audit.length).toBe(auditBefore)
      expect(t.world.jira.calls).toEqual([])
    } finally {
      await t.dispose()
    }
  })
})

describe("JQL injection through the issue filters, judged by the simulator's JQL engine", () => {
  const sim = createJiraSimulator({
    site: FAKE_SITE,
    accounts: [
      {
        email: FAKE_EMAIL,
        apiToken: FAKE_TOKEN,
        accountId: "acc-bot",
        displayName: "Acme Bot",
        emailAddress: FAKE_EMAIL
      }
    ]
  })
  const server = setupServer(...jiraSimulatorHandlers(sim))
  let t: TestApp
  beforeAll(async () => {
    server.listen({ onUnhandledFrame: "error" })
    t = await makeTestApp({ issueSource: IssueSourceJiraCloud.layerFetch({ retry: { maxRetries: 0 } }) })
  })
  afterAll(async () => {
    await t.dispose()
    server.close()
  })

  it(`keeps each of ${JQL_VALUES.length} values a literal in every filter, never widening the project scope`, async () => {
    expect(JQL_VALUES.length).toBeGreaterThanOrEqual(20)
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const project = [...sim.data.projects].sort(
      (a, b) =>
        sim.data.issues.filter((i) => i.projectKey === b.key).length -
        sim.data.issues.filter((i) => i.projectKey === a.key).length
    )[0]!
    const base = (await (await t.request(`/api/v1/jira/projects/${project.key}/issues`, { cookie: admin })).json()) as {
      issues: Array<{ key: string }>
    }
    expect(base.issues.length).toBeGreaterThan(0)
    for (const value of JQL_VALUES) {
      for (const filter of ["q", "priority", "assignee"]) {
        const res = await t.request(
          `/api/v1/jira/projects/${project.key}/issues?${filter}=${encodeURIComponent(value)}`,
          { cookie: admin }
        )
        const label = `${filter}=${JSON.stringify(value)}`
        // A literal Jira cannot match is an empty page or Jira's own 400, never a wider result.
        expect([200, 400], label).toContain(res.status)
        if (res.status === 200) {
          const page = (await res.json()) as { issues: Array<{ key: string }>; jql: string }
          expect(
            page.issues.every((i) => i.key.startsWith(`${project.key}-`)),
            label
          ).toBe(true)
          expect(page.jql, label).toContain(`(project = "${project.key}")`)
        }
      }
    }
  })
})

describe("HTML and script in Jira data", () => {
  const now = new Date()
  const payloads = HTML_PAYLOADS
  const projects: Array<JiraProject> = payloads.slice(0, 8).map((p, i) => ({
    ...aProject(`P${i}`, p),
    avatarUrl: i % 2 === 0 ? "javascript:alert(1)" : `https://x.test/a.png"><script>alert(${i})</script>`,
    lead: { accountId: `lead-${i}`, displayName: p }
  }))
  const issues = someIssues("P0", payloads.length, now).map((issue, i) => ({
    ...issue,
    summary: payloads[i] ?? "",
    status: { name: payloads[(i + 1) % payloads.length] ?? "", category: issue.status.category },
    priority: { name: payloads[(i + 2) % payloads.length] ?? "", iconUrl: "javascript:alert(1)" },
    assignee: {
      accountId: `a-${i}`,
      displayName: payloads[(i + 3) % payloads.length] ?? "",
      avatarUrl: "javascript:alert(1)"
    }
  }))
  const site = {
    ...aFakeSite(now),
    projects: [...aFakeSite(now).projects, ...projects],
    issues: [...aFakeSite(now).issues, ...issues]
  }

  const assertInert = (html: string, where: string) => {
    // The layout's own two scripts (htmx and after-swap.js, both from /static/), and no other script element.
    const ours = /<script src="\/static\/(htmx\.min|after-swap)\.js" defer(="")?><\/script>/g
    expect(html.replace(ours, "").match(/<script\b/gi) ?? [], where).toEqual([])
    expect(html, where).not.toMatch(/(href|src|action|data)\s*=\s*["']?\s*javascript:/i)
    for (const payload of payloads)
      if (/[<>"]/.test(payload)) expect(html.includes(payload), `${where}: ${payload}`).toBe(false)
  }

  it(`renders ${payloads.length} payloads inert on every surface`, async () => {
    expect(payloads.length).toBeGreaterThanOrEqual(20)
    const t = await makeTestApp({ sites: { [FAKE_SITE]: site } })
    try {
      const admin = await t.signIn("admin")
      await t.connect(admin, "project is not EMPTY ORDER BY updated DESC")
      for (const path of [
        "/",
        "/projects",
        "/projects?page=2",
        "/projects/P0",
        "/fragments/projects?q=P",
        "/fragments/projects/P0/issues?status=new"
      ]) {
        const res = await t.request(path, { cookie: admin })
        expect(res.status, path).toBe(200)
        assertInert(await res.text(), path)
      }
      // JSON carries the data as it is, typed so that no browser renders it as HTML.
      const api = await t.request("/api/v1/jira/projects/P0", { cookie: admin })
      expect(api.headers.get("content-type")).toContain("application/json")
      expect(api.headers.get("x-content-type-options")).toBe("nosniff")
    } finally {
      await t.dispose()
    }
  })
})

describe("malformed requests", () => {
  it("refuses form posts that are not valid UTF-8", async () => {
    expect(urlEncodedFault(new TextEncoder().encode("name=caf%C3%A9"))).toBeNull()
    expect(urlEncodedFault(new TextEncoder().encode("name=%FF%FE"))).toEqual({ field: "name" })
    expect(urlEncodedFault(new Uint8Array([0x6e, 0x3d, 0xff]))).toEqual({ field: null })
    const t = await makeTestApp()
    try {
      const admin = await t.signIn("admin")
      const res = await t.request("/manage/credentials", {
        method: "POST",
        body: "name=%FF%FE&username=bot%40acme.test&token=abc",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        cookie: admin
      })
      expect(res.status).toBe(400)
      expect(t.world.config.state.credentials.size).toBe(0)
    } finally {
      await t.dispose()
    }
  })

  it("refuses an oversized form with 413 and a JSON body to a form route with a clear 4xx", async () => {
    const t = await makeTestApp()
    try {
      const admin = await t.signIn("admin")
      const big = await t.form(
        "/manage/credentials",
        { name: "x".repeat(100_000), username: "a@b.test", token: "t" },
        admin
      )
      expect(big.status).toBe(413)
      const wrong = await t.request("/manage/credentials", { ...json("POST", { name: "Bot" }), cookie: admin })
      expect(wrong.status).toBe(422)
      expect(t.world.config.state.credentials.size).toBe(0)
    } finally {
      await t.dispose()
    }
  })
})
