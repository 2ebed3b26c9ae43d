import { readFile } from "node:fs/promises"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_SITE } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { type AppUnderTest, startAppUnderTest } from "./app-under-test.ts"
import { inspect, launchChromium, Observations, openSession } from "./chromium.ts"
import { connectDemoJira } from "./flows.ts"

/**
 * "Count all" and the CSV export in Chromium, against the simulator: the exact charts' numbers are the
 * simulator's own counts of the JQL each links to, and the download holds the filtered table's rows.
 */

const PROJECT = "DEMO"
const DEFAULT_JQL = "updated >= -30d ORDER BY updated DESC"

let app: AppUnderTest
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

/** RFC 4180 records: quoted cells with doubled quotes, CRLF between records (no cell here holds a line end). */
const parseCsv = (text: string): Array<Array<string>> =>
  text
    .split("\r\n")
    .filter((line) => line.length > 0)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => (m[1] ?? "").replaceAll('""', '"')))

beforeAll(async () => {
  app = await startAppUnderTest({ fromTemplate: true })
  browser = await launchChromium()
  admin = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
  await connectDemoJira(admin.page, { defaultJql: DEFAULT_JQL })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe("Count all and the CSV export in Chromium", () => {
  it("replaces the sampled charts with exact counts equal to what the simulator counts", async () => {
    const { page } = admin
    await page.goto(`/projects/${PROJECT}`)
    await page.getByText("Sampled: these charts are tallied from the").waitFor()
    // Nothing is counted before the button is pressed: the page's own three status counts only.
    const countsBefore = app.sim.countCalls({ path: "/rest/api/3/search/approximate-count" })
    expect(countsBefore).toBe(3)
    await page.getByRole("button", { name: "Count all" }).click()
    await page.getByText("Exact counts (as of").waitFor()
    expect(await page.getByRole("button", { name: "Count all" }).count()).toBe(0)
    expect(app.sim.countCalls({ path: "/rest/api/3/search/approximate-count" })).toBeGreaterThan(countsBefore)

    const total = app.sim.search(`updated >= -30d AND project = ${PROJECT}`).length
    expect(await page.locator("#by-priority-caption").textContent()).toBe(
      `Exact counts of all ${total} matching issues.`
    )
    // Each exact bar is a link to the Jira search it was counted with (as the sampled bars are).
    const links = await page.locator("#charts svg a.chart-link").evaluateAll((anchors) =>
      anchors.map((a) => ({
        href: a.getAttribute("href") ?? "",
        target: a.getAttribute("target"),
        rel: a.getAttribute("rel"),
        count: Number((a.querySelector(".chart-value")?.textContent ?? "").replace(/\D/g, ""))
      }))
    )
    expect(links.length).toBeGreaterThan(4)
    let sum = 0
    for (const link of links) {
      const url = new URL(link.href)
      expect(`${url.origin}${url.pathname}`).toBe(`${DEMO_SITE}/issues/`)
      expect(link.target).toBe("_blank")
      expect(link.rel).toBe("noopener noreferrer")
      const jql = url.searchParams.get("jql") ?? ""
      expect(jql).toContain(`project = "${PROJECT}"`)
      expect(link.count).toBe(app.sim.search(jql).length)
      sum += link.count
    }
    // Both breakdowns add up to the total.
    expect(sum).toBe(2 * total)
    await inspect(page, "project-exact-counts", seen)
    expect(seen.findings.filter((f) => f.impact === "serious" || f.impact === "critical")).toEqual([])
    expect(seen.consoleErrors).toEqual([])
  })

  it("downloads the filtered table as CSV, every matching row", async () => {
    const { page } = admin
    await page.goto(`/projects/${PROJECT}?priority=High`)
    const link = page.getByRole("link", { name: "Download CSV" })
    expect(await link.getAttribute("href")).toBe(`/projects/${PROJECT}/issues.csv?priority=High`)
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()])
    expect(download.suggestedFilename()).toBe(`${PROJECT}-issues.csv`)
    const rows = parseCsv(await readFile(await download.path(), "utf8"))
    expect(rows[0]).toEqual(["Key", "Summary", "Status", "Status category", "Assignee", "Priority", "Updated", "URL"])
    const expected = app.sim.search(
      `updated >= -30d AND project = ${PROJECT} AND priority = High ORDER BY updated DESC`
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(rows.slice(1).map((row) => row[0])).toEqual(expected.map((issue) => issue.key))
    expect(rows.slice(1).every((row) => row[5] === "High" && row[7] === `${DEMO_SITE}/browse/${row[0]}`)).toBe(true)
  })
})
