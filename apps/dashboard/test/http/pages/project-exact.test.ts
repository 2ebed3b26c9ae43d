import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { JiraRateLimited } from "@sciple/jira-core"
import { aFakeSite, FAKE_SITE, someIssues } from "@sciple/jira-core/testing"
import { makeTestApp, type TestApp } from "../../support/harness.ts"

const NOW = new Date()
const site = () => {
  const base = aFakeSite(NOW)
  const hostile = { ...someIssues("BETA", 1, NOW)[0]!, key: "BETA-99", summary: '=HYPERLINK("https://evil.test","x")' }
  return { ...base, issues: [...base.issues, hostile] }
}

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp({ now: NOW, sites: { [FAKE_SITE]: site() } })
})
afterEach(async () => {
  await t.dispose()
})

/** RFC 4180 records of a body: quoted cells, doubled quotes, CRLF between records. */
const parseCsv = (text: string): Array<Array<string>> =>
  text
    .split("\r\n")
    .filter((line) => line.length > 0)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => (m[1] ?? "").replaceAll('""', '"')))

describe("Count all", () => {
  it("is offered under the sampled charts and counts nothing until pressed", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const html = await (await t.request("/projects/ALPHA?priority=High", { cookie: admin })).text()
    expect(html).toContain("Sampled: these charts are tallied from the")
    expect(html).toContain('hx-get="/fragments/projects/ALPHA/exact-counts?priority=High"')
    expect(t.world.jira.calls.filter((c) => c.op === "countIssues")).toHaveLength(3)
  })

  it("replaces the charts with exact counts, equal to what Jira counts under the same filters", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    t.world.jira.calls.length = 0
    const res = await t.request("/fragments/projects/ALPHA/exact-counts?status=done", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('id="charts"')
    expect(html).toContain("Exact counts (as of")
    const counts = t.world.jira.calls.filter((c) => c.op === "countIssues")
    expect(counts.length).toBeGreaterThan(3)
    expect(counts.every((c) => c.jql?.includes('(statusCategory = "done")'))).toBe(true)
    const total = Number(/Exact counts of all (\d+) matching issues/.exec(html)?.[1])
    expect(total).toBeGreaterThan(0)
    const cells = [...html.matchAll(/<tr><td>([^<]+)<\/td><td>(?:<a [^>]*>)?(\d+)/g)].map((m) => Number(m[2]))
    // Both charts' numbers: each adds up to the total.
    expect(cells.reduce((a, b) => a + b, 0)).toBe(2 * total)
  })

  it("leaves the sampled charts and says why when counting fails", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/fragments/projects/NOPE/exact-counts", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(res.status).toBe(404)
    expect(res.headers.get("hx-retarget")).toBe("#count-all-result")
    expect(await res.text()).toContain('role="alert"')
  })
})

describe("the CSV export", () => {
  it("downloads the filtered table's rows, every page of them, quoted and formula-safe", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "updated >= -90d ORDER BY key ASC")
    const res = await t.request("/projects/ALPHA/issues.csv?assignee=unassigned", { cookie: admin })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8")
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="ALPHA-issues.csv"')
    const rows = parseCsv(await res.text())
    expect(rows[0]).toEqual(["Key", "Summary", "Status", "Status category", "Assignee", "Priority", "Updated", "URL"])
    const expected = someIssues("ALPHA", 230, NOW).filter((i) => i.assignee === null)
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort()
    ).toEqual(expected.map((i) => i.key).sort())
    expect(rows.slice(1).every((r) => r[4] === "Unassigned" && r[7] === `${FAKE_SITE}/browse/${r[0]}`)).toBe(true)
    // 57 rows: one page of Jira's 100.
    expect(t.world.jira.calls.filter((c) => c.op === "searchIssues")).toHaveLength(1)

    const all = parseCsv(await (await t.request("/projects/ALPHA/issues.csv", { cookie: admin })).text())
    expect(all).toHaveLength(231)
    const beta = await (await t.request("/projects/BETA/issues.csv?q=HYPERLINK", { cookie: admin })).text()
    expect(beta).toContain(`"'=HYPERLINK(""https://evil.test"",""x"")"`)
  })

  it("ends the file with a line saying so when Jira fails part-way", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "updated >= -90d ORDER BY key ASC")
    const res = await t.request("/projects/ALPHA/issues.csv", { cookie: admin })
    // The first page was read before the answer started; the next one fails.
    expect(res.status).toBe(200)
    t.world.jira.faults.failNext(
      "searchIssues",
      new JiraRateLimited({ retryAfterSeconds: 30, reason: "jira-burst-based" })
    )
    const rows = parseCsv(await res.text())
    expect(rows).toHaveLength(1 + 100 + 1)
    expect(rows[rows.length - 1]).toEqual(["Export stopped: Jira is rate limiting this site; retrying in 30 s."])
  })

  it("needs a signed-in viewer, and answers a missing project with a page", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const anonymous = await t.request("/projects/ALPHA/issues.csv")
    expect(anonymous.status).toBe(303)
    const viewer = await t.signIn("viewer")
    expect((await t.request("/projects/ALPHA/issues.csv", { cookie: viewer })).status).toBe(200)
    const missing = await t.request("/projects/NOPE/issues.csv", { cookie: viewer })
    expect(missing.status).toBe(404)
    expect(missing.headers.get("content-type")).toContain("text/html")
  })

  it("is linked from the table with its filters", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin)
    const res = await t.request("/fragments/projects/ALPHA/issues?priority=Low", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(await res.text()).toContain('href="/projects/ALPHA/issues.csv?priority=Low" download')
  })
})

/** The JQL of every Jira search link in some HTML, decoded. */
const linkedJql = (html: string): Array<string> =>
  [...html.matchAll(/href="([^"]*\/issues\/\?jql=[^"]*)"/g)].map(
    (m) =>
      new URL(
        (m[1] ?? "").replaceAll("&amp;", "&").replaceAll("&#39;", "'").replaceAll("&quot;", '"')
      ).searchParams.get("jql") ?? ""
  )

describe("Count all and the CSV follow the page's view", () => {
  const VIEW = "status=status%3ABacklog&priority=none&assignee=unassigned"

  it("counts under a status by name, No priority and Unassigned: every exact JQL refines the page's own", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "updated >= -90d")
    const pageHtml = await (await t.request(`/projects/ALPHA?${VIEW}`, { cookie: admin })).text()
    // The page's "Open in Jira" link: the JQL of the whole view.
    const viewJql = linkedJql(pageHtml.slice(pageHtml.indexOf('class="jql-shown"')))[0] ?? ""
    expect(viewJql).toContain('(status = "Backlog") AND (priority IS EMPTY) AND (assignee IS EMPTY)')
    expect(pageHtml).toContain("/fragments/projects/ALPHA/exact-counts?status=status%3ABacklog")
    t.world.jira.calls.length = 0
    const html = await (
      await t.request(`/fragments/projects/ALPHA/exact-counts?${VIEW}`, {
        cookie: admin,
        headers: { "hx-request": "true" }
      })
    ).text()
    const counted = t.world.jira.calls.filter((c) => c.op === "countIssues").map((c) => c.jql ?? "")
    expect(counted).toContain(viewJql)
    expect(counted.every((jql) => jql === viewJql || jql.startsWith(`${viewJql} AND (`))).toBe(true)
    // Each exact bar links to the JQL it was counted with; the filtered fields are one bar each, the view's total.
    const links = linkedJql(html)
    expect(links.length).toBeGreaterThan(0)
    expect(links.every((jql) => counted.includes(jql))).toBe(true)
    const expected = someIssues("ALPHA", 230, NOW).filter(
      (i) => i.status.name === "Backlog" && i.priority === null && i.assignee === null
    ).length
    expect(html).toContain(`Exact counts of all ${expected} matching issues.`)
    expect(html).toContain(`No priority: ${expected}`)
    expect(html).toContain(`Unassigned: ${expected}`)
  })

  it("drops unknown URL values with a notice instead of sending them to Jira", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "updated >= -90d")
    t.world.jira.calls.length = 0
    const res = await t.request("/fragments/projects/ALPHA/exact-counts?priority=%3Cscript%3E&status=status%3ANope", {
      cookie: admin,
      headers: { "hx-request": "true" }
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain("Ignored an unknown priority filter value.")
    expect(html).toContain("Ignored an unknown status filter value.")
    expect(html).not.toContain("<script>")
    const csv = await t.request("/projects/ALPHA/issues.csv?priority=%3Cscript%3E&sort=nope", { cookie: admin })
    expect(csv.status).toBe(200)
    expect(parseCsv(await csv.text())).toHaveLength(231)
    const jqls = t.world.jira.calls.map((c) => c.jql ?? "")
    expect(jqls.some((jql) => jql.includes("script") || jql.includes("Nope") || jql.includes("nope"))).toBe(false)
  })

  it("exports in the table's sort, with the same filters", async () => {
    const admin = await t.signIn("admin")
    await t.connect(admin, "updated >= -90d")
    const pageHtml = await (await t.request(`/projects/ALPHA?${VIEW}&sort=key&dir=desc`, { cookie: admin })).text()
    expect(pageHtml).toContain(
      `href="/projects/ALPHA/issues.csv?${VIEW.replaceAll("&", "&amp;")}&amp;sort=key&amp;dir=desc"`
    )
    t.world.jira.calls.length = 0
    const rows = parseCsv(
      await (await t.request(`/projects/ALPHA/issues.csv?${VIEW}&sort=key&dir=desc`, { cookie: admin })).text()
    ).slice(1)
    const searched = t.world.jira.calls.filter((c) => c.op === "searchIssues").map((c) => c.jql ?? "")
    expect(searched.at(-1)).toMatch(
      /\(status = "Backlog"\) AND \(priority IS EMPTY\) AND \(assignee IS EMPTY\) ORDER BY key DESC/
    )
    expect(rows.length).toBeGreaterThan(1)
    expect(rows.every((r) => r[2] === "Backlog" && r[4] === "Unassigned" && r[5] === "No priority")).toBe(true)
    const numbers = rows.map((r) => Number(r[0]?.split("-")[1]))
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a))
  })
})
