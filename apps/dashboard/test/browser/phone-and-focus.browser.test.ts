import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { type AppUnderTest, startAppUnderTest } from "./app-under-test.ts"
import { inspect, launchChromium, Observations, openSession, PHONE_WIDTH } from "./chromium.ts"
import { connectDemoJira } from "./flows.ts"

/**
 * Phones and keyboards, in Chromium: where focus lands after an in-page update and what the live region says,
 * and the pages the main file does not screenshot (API tokens, the error pages) at a phone's width.
 */

const PROJECT = { key: "DEMO", where: "updated >= -30d" }

let app: AppUnderTest
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

/** The live region's message, once the frame that fills it has run. */
const announced = (page: Page) => page.locator("#announcer").textContent()

/** What has focus: its tag, id and text, enough to tell a row from a heading from a button. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement
    return element === null
      ? null
      : { tag: element.tagName, id: element.id, text: (element.textContent ?? "").replace(/\s+/g, " ").trim() }
  })

beforeAll(async () => {
  app = await startAppUnderTest({ accounts: [DEMO_ACCOUNT] })
  browser = await launchChromium()
  admin = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
  await connectDemoJira(admin.page, { testFirst: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe("focus and announcements after in-page updates", () => {
  it("moves focus to the first new row after Load more, and says how many came", async () => {
    const { page } = admin
    await page.goto(`/projects/${PROJECT.key}`)
    const all = app.sim.search(`${PROJECT.where} AND project = ${PROJECT.key} ORDER BY updated DESC`)
    expect(all.length).toBeGreaterThan(50)
    const rows = page.locator("#issue-rows tr:not(#load-more-row)")
    expect(await rows.count()).toBe(25)

    const loadMore = page.getByRole("button", { name: "Load more" })
    await loadMore.focus()
    await page.keyboard.press("Enter")
    await expect.poll(() => rows.count()).toBe(50)
    await expect.poll(() => announced(page)).toBe("25 more issues loaded.")
    const row = await focused(page)
    expect({ tag: row?.tag, key: row?.text.split(" ")[0] }).toEqual({ tag: "TR", key: all[25]?.key })
    expect(await page.evaluate(() => document.activeElement === document.querySelectorAll("#issue-rows tr")[25])).toBe(
      true
    )
    // The next Tab goes on from there: into the new row's issue link, not back to the top of the page.
    await page.keyboard.press("Tab")
    expect((await focused(page))?.text).toBe(`${all[25]?.key} (opens Jira in a new tab)`)
  })

  it("keeps focus in a filter the person changed, and says what the table shows now", async () => {
    const { page } = admin
    const status = page.locator('select[name="status"]')
    await status.focus()
    await status.selectOption("done")
    await page.waitForURL((url) => url.searchParams.get("status") === "done")
    await expect.poll(() => announced(page)).toMatch(/^\d+ issues? shown/)
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).toBe("status")
  })

  it("moves focus to the home widget's heading after its Refresh, and says it was refreshed", async () => {
    const { page } = admin
    await page.goto("/")
    const refresh = page.locator("#jira-widget").getByRole("button", { name: "Refresh" })
    await refresh.focus()
    await page.keyboard.press("Enter")
    await expect.poll(() => announced(page)).toBe("Jira refreshed.")
    expect(await focused(page)).toEqual({ tag: "H2", id: "jira-widget-title", text: "Jira" })
  })

  it("moves focus to the project list after its Refresh, and reads out what it shows", async () => {
    const { page } = admin
    await page.goto("/projects")
    const refresh = page.locator("#project-results").getByRole("button", { name: "Refresh" })
    await refresh.focus()
    await page.keyboard.press("Enter")
    await expect.poll(() => announced(page)).toMatch(/^Refreshed: \d+ projects; showing 1–\d+\./)
    expect((await focused(page))?.id).toBe("project-results")
  })
})

describe("a phone's width", () => {
  it("stacks the issue table's rows, each cell under its column's name", async () => {
    const { page } = admin
    await page.setViewportSize({ width: PHONE_WIDTH, height: 844 })
    try {
      await page.goto(`/projects/${PROJECT.key}`)
      const cells = await page.locator("#issue-rows tr:first-child td").evaluateAll((tds) =>
        tds.map((td) => ({
          label: getComputedStyle(td, "::before").content,
          display: getComputedStyle(td).display,
          width: td.getBoundingClientRect().width
        }))
      )
      expect(cells.map((c) => c.label)).toEqual(
        ["Key", "Summary", "Status", "Assignee", "Priority", "Updated"].map((l) => `"${l}"`)
      )
      expect(cells.every((c) => c.display === "block")).toBe(true)
      // Each cell takes the row's full width: a summary has room for its words.
      expect(Math.min(...cells.map((c) => c.width))).toBeGreaterThan(PHONE_WIDTH - 80)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH)
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })

  it("fits the API tokens page and the error pages in 390 px, in both colour schemes", async () => {
    const { page } = admin
    await page.goto(`/projects/${PROJECT.key}`)
    await page.getByRole("button", { name: "Load more" }).click()
    await page.locator("#issue-rows tr:nth-child(26)").waitFor()
    await inspect(page, "project-more", seen)

    await page.goto("/manage/api-tokens")
    await page.locator('form[action="/manage/api-tokens"] input[name="name"]').fill("My laptop script")
    await page.locator('form[action="/manage/api-tokens"]').getByRole("button").click()
    await page.locator(".secret-once").waitFor()
    await inspect(page, "api-tokens", seen)

    seen.expectStatus(`${app.url}/no-such-page`, 404)
    expect((await page.goto("/no-such-page"))?.status()).toBe(404)
    await inspect(page, "not-found", seen)

    // An unknown project: Jira's answer for it is a 404.
    seen.expectStatus(`${app.url}/projects/NOPE`, 404)
    expect((await page.goto("/projects/NOPE"))?.status()).toBe(404)
    await inspect(page, "project-error", seen)

    const surfaces = ["project-more", "api-tokens", "not-found", "project-error"]
    expect([...seen.phoneWidths.keys()]).toEqual(surfaces)
    const wider = [...seen.phoneWidths].filter(([, width]) => width > PHONE_WIDTH)
    expect(Object.fromEntries(wider)).toEqual({})
    const blocking = seen.findings.filter((f) => f.impact === "serious" || f.impact === "critical")
    expect(blocking.map((f) => `${f.surface}: ${f.rule} at ${f.targets.join(", ")}`)).toEqual([])
    expect(seen.consoleErrors).toEqual([])
  })
})
