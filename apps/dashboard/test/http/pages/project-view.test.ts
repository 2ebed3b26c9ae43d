import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

/** The JQLs of the page's links into Jira's issue search, decoded. */
const searchLinks = (html: string) =>
  [
    ...html.matchAll(
      /href="https:\/\/acme\.atlassian\.net\/issues\/\?jql=([^"]+)" target="_blank" rel="noopener noreferrer"/g
    )
  ].map((m) => decodeURIComponent((m[1] ?? "").replaceAll("&amp;", "&")))

describe("the project page's view", () => {
  it("drops an unknown filter value from a bookmarked URL with a notice; the page still renders", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/projects/ALPHA?priority=%3Cscript%3E&sort=rank&status=status%3ANope", {
      cookie: admin
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain("Ignored an unknown priority filter value.")
    expect(html).toContain("Ignored an unknown sort column.")
    expect(html).toContain("Ignored an unknown status filter value.")
    expect(html).not.toContain("<script>")
    expect(html).toContain('id="issue-table"')
  })

  it("links every count to Jira's search with the JQL it was counted with, and says which JQL it shows", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const html = await (await t.request("/projects/ALPHA?priority=High", { cookie: admin })).text()
    const counted = t.world.jira.calls.flatMap((c) => (c.op === "countIssues" && c.jql !== undefined ? [c.jql] : []))
    const links = searchLinks(html)
    expect(links.length).toBeGreaterThan(4)
    // The To Do, In Progress and Done cards open exactly what was counted.
    for (const jql of counted) expect(links).toContain(jql)
    expect(links.every((jql) => jql.includes('(priority = "High")'))).toBe(true)
    expect(html).toContain("<summary>JQL</summary>")
    expect(html).toMatch(/Showing (\d+) of \1</)
  })

  it("sorts through the URL, marks the header with aria-sort, and the view fragment pushes the URL", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/fragments/projects/ALPHA/view?sort=key&dir=asc&priority=none", {
      cookie: admin,
      headers: { "HX-Request": "true" }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get("hx-push-url")).toBe("/projects/ALPHA?priority=none&sort=key&dir=asc")
    const html = await res.text()
    expect(html).toMatch(/^<div id="project-view">/)
    expect(html).toContain('aria-sort="ascending"')
    const keys = [...html.matchAll(/class="issue-key">ALPHA-(\d+)</g)].map((m) => Number(m[1]))
    expect(keys.length).toBeGreaterThan(1)
    expect(keys).toEqual([...keys].sort((a, b) => a - b))
    expect(html).toContain("No priority")
  })
})
