import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_SITE, type SimIssue } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Locator, Page } from "playwright-core"
import { type AppUnderTest, startAppUnderTest } from "./app-under-test.ts"
import { launchChromium, Observations, openSession } from "./chromium.ts"
import { connectDemoJira } from "./flows.ts"

/**
 * The project view in Chromium, against the simulator (issue 13): every number links to Jira's search for
 * exactly the issues it counts, the filters apply to the cards and the table alike, columns sort through
 * the URL, a bad bookmark still shows the page, the status filter lists the project's statuses, and
 * "Showing N of M" follows Load more.
 */

const DEFAULT_WHERE = "updated >= -30d"
const DEFAULT_JQL = `${DEFAULT_WHERE} ORDER BY updated DESC`
/** Fewer than 100 issues under the default JQL: its sampled charts hold every issue, so a bar is an exact count. */
const SMALL = "WEB"
/** More than one page of the table and more than the 100-issue sample. */
const LARGE = "DEMO"

let app: AppUnderTest
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

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

interface JiraLink {
  readonly href: string
  readonly target: string | null
  readonly rel: string | null
  /** The number the link stands for, as the page shows it. */
  readonly shown: number
}

/** Links under `scope`, each with the number shown in its `numberSelector` (or its own text). */
const linksOf = (scope: Locator, numberSelector: string | null) =>
  scope.evaluateAll(
    (anchors, selector) =>
      anchors.map((a) => ({
        href: a.getAttribute("href") ?? "",
        target: a.getAttribute("target"),
        rel: a.getAttribute("rel"),
        shown: Number(
          ((selector === null ? a.firstChild : a.querySelector(selector))?.textContent ?? "").replace(/\D/g, "")
        )
      })),
    numberSelector
  )

/** A drill-down link: Jira's issue search in a new tab, without opener or referrer; its JQL decoded. */
const jqlOf = (link: JiraLink): string => {
  const url = new URL(link.href)
  expect(`${url.origin}${url.pathname}`).toBe(`${DEMO_SITE}/issues/`)
  expect(link.target).toBe("_blank")
  expect(link.rel).toBe("noopener noreferrer")
  return url.searchParams.get("jql") ?? ""
}

/** Every link's JQL, counted by the simulator, equals the number it is shown with. */
const expectCountedAsShown = (links: ReadonlyArray<JiraLink>) => {
  for (const link of links) {
    const jql = jqlOf(link)
    expect(app.sim.search(jql).length, jql).toBe(link.shown)
  }
}

const rowKeys = (page: Page) =>
  page
    .locator("#issue-rows a.issue-key")
    .evaluateAll((links) =>
      links.map((a) => decodeURIComponent((a.getAttribute("href") ?? "").split("/browse/")[1] ?? ""))
    )

const showing = async (page: Page) => {
  const m = /Showing (\d+) of (\d+)/.exec((await page.locator("#issue-count").textContent()) ?? "")
  return { shown: Number(m?.[1]), total: Number(m?.[2]) }
}

const issuesCard = async (page: Page) =>
  Number(
    ((await page.locator(".stats a.stat-link").first().locator(".stat-value").textContent()) ?? "").replace(/\D/g, "")
  )

describe("the project view in Chromium", () => {
  it("links every stat card and chart bar to Jira's search for exactly the issues it counts", async () => {
    const { page } = admin
    await page.goto(`/projects/${SMALL}`)
    const total = app.sim.search(`${DEFAULT_WHERE} AND project = ${SMALL}`).length
    expect(total).toBeGreaterThan(0)
    expect(total).toBeLessThan(100)
    expect(await page.locator("#by-priority-caption").textContent()).toBe(
      `Tallied from the ${total} most recent matching issues.`
    )
    const cards = await linksOf(page.locator(".stats a.stat-link"), ".stat-value")
    expect(cards.length).toBeGreaterThanOrEqual(4)
    expect(cards[0]?.shown).toBe(total)
    expectCountedAsShown(cards)
    const bars = await linksOf(page.locator("#charts svg a.chart-link"), ".chart-value")
    expect(bars.length).toBeGreaterThan(3)
    expectCountedAsShown(bars)
    // The view's whole JQL, shown on the page, opens in Jira too.
    const whole = await linksOf(page.locator(".jql-shown a"), null)
    expect(jqlOf({ ...whole[0]!, shown: total })).toBe(await page.locator(".jql-shown code").textContent())
  })

  it("links the home widget's split to the same searches", async () => {
    const { page } = admin
    await page.goto("/")
    await page.locator("#jira-widget a.stat-link").first().waitFor()
    const links = await linksOf(page.locator("#jira-widget a.stat-link"), ".stat-value")
    expect(links.length).toBe(4)
    expectCountedAsShown(links)
  })

  it("applies a filter to the cards and the table alike: Showing N of M, M the Issues card", async () => {
    const { page } = admin
    await page.goto(`/projects/${LARGE}`)
    await page.locator('select[name="priority"]').selectOption("High")
    await page.waitForURL((url) => url.searchParams.get("priority") === "High")
    await expect.poll(() => page.locator("#project-view .jql-shown code").textContent()).toContain('priority = "High"')
    const expected = app.sim.search(`${DEFAULT_WHERE} AND project = ${LARGE} AND priority = High ORDER BY updated DESC`)
    const card = await issuesCard(page)
    expect(card).toBe(expected.length)
    while ((await page.getByRole("button", { name: "Load more" }).count()) > 0) {
      const before = (await rowKeys(page)).length
      await page.getByRole("button", { name: "Load more" }).click()
      await expect.poll(async () => (await rowKeys(page)).length).toBeGreaterThan(before)
    }
    expect(await rowKeys(page)).toEqual(expected.map((i) => i.key))
    expect(await showing(page)).toEqual({ shown: card, total: card })
    expectCountedAsShown(await linksOf(page.locator(".stats a.stat-link"), ".stat-value"))
  })

  it("sorts a column through the URL, with aria-sort on its header", async () => {
    const { page } = admin
    await page.goto(`/projects/${LARGE}`)
    const header = page.locator("th").filter({ has: page.locator("a.sort", { hasText: "Key" }) })
    expect(await header.getAttribute("aria-sort")).toBeNull()
    const first = await rowKeys(page)
    const key = (i: SimIssue) => Number(i.key.split("-")[1])
    const byKey = app.sim
      .search(`${DEFAULT_WHERE} AND project = ${LARGE}`)
      .sort((a, b) => key(a) - key(b))
      .map((i) => i.key)

    await header.locator("a.sort").click()
    await page.waitForURL((url) => url.searchParams.get("sort") === "key" && url.searchParams.get("dir") === "asc")
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending")
    expect(await rowKeys(page)).toEqual(byKey.slice(0, 25))
    expect(await rowKeys(page)).not.toEqual(first)

    await header.locator("a.sort").click()
    await page.waitForURL((url) => url.searchParams.get("dir") === "desc")
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending")
    expect(await rowKeys(page)).toEqual([...byKey].reverse().slice(0, 25))
  })

  it("shows a bookmarked page with an unknown filter value, and says it ignored it", async () => {
    const { page } = admin
    const errorsBefore = seen.consoleErrors.length
    const response = await page.goto(`/projects/${LARGE}?priority=${encodeURIComponent("<script>")}`)
    expect(response?.status()).toBe(200)
    await expect
      .poll(() => page.locator("#project-view .callout").first().textContent())
      .toContain("Ignored an unknown priority filter value.")
    expect(await issuesCard(page)).toBe(app.sim.search(`${DEFAULT_WHERE} AND project = ${LARGE}`).length)
    expect(seen.consoleErrors.slice(errorsBefore)).toEqual([])
  })

  it("offers the project's statuses in the status filter, grouped by category", async () => {
    const { page } = admin
    await page.goto(`/projects/${LARGE}`)
    const groups = await page.locator('select[name="status"] optgroup').evaluateAll((optgroups) =>
      optgroups.map((g) => ({
        label: g.getAttribute("label"),
        statuses: [...g.querySelectorAll("option")].slice(1).map((o) => o.textContent ?? "")
      }))
    )
    expect(groups.map((g) => g.label)).toEqual(["To Do", "In Progress", "Done", "Other"])
    // The statuses of the project's sample (its 100 most recent issues), each under its category.
    const status = new Map(app.sim.data.statuses.map((s) => [s.id, s]))
    const sample = app.sim.search(`${DEFAULT_WHERE} AND project = ${LARGE} ORDER BY updated DESC`).slice(0, 100)
    const label = { new: "To Do", indeterminate: "In Progress", done: "Done", undefined: "Other" } as const
    for (const group of groups) {
      const names = [
        ...new Set(
          sample.flatMap((i) => {
            const s = status.get(i.statusId)
            return s !== undefined && label[s.category] === group.label ? [s.name] : []
          })
        )
      ].sort((a, b) => a.localeCompare(b))
      expect(group.statuses, group.label ?? "").toEqual(names)
    }
    expect(groups.flatMap((g) => g.statuses).length).toBeGreaterThan(3)
  })

  it("updates 'Showing N of M' after Load more (an out-of-band swap)", async () => {
    const { page } = admin
    await page.goto(`/projects/${LARGE}`)
    const total = app.sim.search(`${DEFAULT_WHERE} AND project = ${LARGE}`).length
    expect(await showing(page)).toEqual({ shown: 25, total })
    const counter = await page.locator("#issue-count").elementHandle()
    await page.getByRole("button", { name: "Load more" }).click()
    await expect.poll(() => showing(page)).toEqual({ shown: 50, total })
    // One counter, a new element: the fragment's hx-swap-oob replaced it.
    expect(await page.locator("#issue-count").count()).toBe(1)
    expect(await counter?.evaluate((el) => el.isConnected)).toBe(false)
  })
})
