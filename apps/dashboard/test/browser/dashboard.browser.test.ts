import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT, DEMO_SITE, type JiraSimulator, type SimIssue } from "@sciple/jira-simulator"
import { Effect } from "effect"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { auditRows, channelsOf, collectAfterRun, scanAfterRun, scanHeaders } from "../leak/leak-scan.ts"
import { type CapturedOutput, captureOutput } from "../leak/output-capture.ts"
import { derive, LeakScanner, makeSentinel } from "../leak/sentinel.ts"
import { ADMIN, type AppUnderTest, startAppUnderTest, VIEWER } from "./app-under-test.ts"
import {
  ARTIFACTS_DIR,
  inspect,
  launchChromium,
  Observations,
  openSession,
  PHONE_WIDTH,
  recordPageText,
  screenshotNames
} from "./chromium.ts"

/** The default JQL's restriction (the form's Default JQL is left blank), and the project the suite opens. */
const DEFAULT_WHERE = "updated >= -30d"
const PROJECT = { key: "DEMO", name: "Sciple Demo", search: "demo" }
// A viewer's own API tokens are theirs (issue 13): every other Manage page is refused.
const MANAGE_PATHS = ["/manage/credentials", "/manage/integrations/jira", "/manage/audit"]
const SURFACES = [
  "sign-in",
  "credentials",
  "jira-settings",
  "home",
  "projects",
  "project",
  "viewer-home",
  "not-permitted",
  "audit-log"
]

/** The Jira credential's API token: unique to this run, so the leak sentinel can tell it from anything else. */
const API_TOKEN = makeSentinel()
/** Planted at the end in every channel the leak sentinel scans, which must then find it in each. */
const PLANTED = makeSentinel("PLANTED")

let app: AppUnderTest
let output: CapturedOutput
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

const session = () => openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })

const signIn = async (page: Page, who: { readonly email: string; readonly password: string }) => {
  const form = page.locator('form[action="/login"]')
  await form.locator('input[name="email"]').fill(who.email)
  await form.locator('input[name="password"]').fill(who.password)
  await form.getByRole("button", { name: "Sign in" }).click()
  await page.waitForURL((url) => url.pathname === "/")
}

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" })
const manageNav = (page: Page) => page.getByRole("navigation", { name: "Manage", exact: true })

const statValue = async (page: Page, label: string) => {
  const card = page.locator(".stat").filter({ has: page.locator(".stat-label").getByText(label, { exact: true }) })
  return Number(((await card.locator(".stat-value").textContent()) ?? "").replace(/,/g, ""))
}

/** Keys of the issue table's rows, read from their links to Jira. */
const rowKeys = (page: Page) =>
  page
    .locator("#issue-rows a.issue-key")
    .evaluateAll((links) =>
      links.map((a) => decodeURIComponent((a.getAttribute("href") ?? "").split("/browse/")[1] ?? ""))
    )

/** The Assignee column as read aloud: the avatar's initials are aria-hidden. */
const assigneeNames = (page: Page) =>
  page.locator("#issue-rows tr td:nth-child(4)").evaluateAll((cells) =>
    cells.map((cell) => {
      const copy = cell.cloneNode(true) as HTMLElement
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
      return (copy.textContent ?? "").trim()
    })
  )

const categoryOf = (sim: JiraSimulator) => {
  const byStatus = new Map(sim.data.statuses.map((s) => [s.id, s.category]))
  return (issue: SimIssue) => byStatus.get(issue.statusId)
}

const splitOf = (sim: JiraSimulator, issues: ReadonlyArray<SimIssue>) => {
  const category = categoryOf(sim)
  const count = (key: string) => issues.filter((i) => category(i) === key).length
  return { todo: count("new"), inProgress: count("indeterminate"), done: count("done") }
}

const tally = (labels: ReadonlyArray<string>) => {
  const counts: Record<string, number> = {}
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1
  return counts
}

/** A chart's numbers as its accessible data table states them. */
const chartTable = async (page: Page, id: string) => {
  const rows = await page
    .locator(`#${id}-caption`)
    .locator("xpath=..")
    .locator("details.chart-data tbody tr")
    // A count cell is a link to Jira's search (its first text is the number, then a hidden "(opens Jira...)").
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll("td")].map((td) => (td.querySelector("a")?.firstChild ?? td).textContent ?? "")
      )
    )
  return Object.fromEntries(rows.map(([label, count]) => [label ?? "", Number(count)]))
}

beforeAll(async () => {
  // Every line the app prints, at its most verbose, for the leak sentinel.
  output = captureOutput()
  app = await startAppUnderTest({
    accounts: [{ ...DEMO_ACCOUNT, apiToken: API_TOKEN }],
    logLevel: "Trace",
    log: (line) => console.log(line)
  })
  browser = await launchChromium()
  admin = await session()
}, 120_000)

afterAll(async () => {
  output?.restore()
  await browser?.close()
  await app?.close()
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  writeFileSync(join(ARTIFACTS_DIR, "axe-findings.json"), `${JSON.stringify(seen.findings, null, 2)}\n`)
  const minor = seen.findings.filter((f) => f.impact !== "serious" && f.impact !== "critical")
  for (const f of minor)
    console.info(`axe ${f.impact} on ${f.surface}: ${f.rule} (${f.help}) at ${f.targets.join(", ")}`)
})

describe("the dashboard in Chromium", () => {
  it("signs the admin in, adds the Jira credential and connects Jira after a passing connection test", async () => {
    const { page } = admin
    await page.goto("/")
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/")
    expect(await page.locator(".demo-credentials").textContent()).toContain(ADMIN.email)
    await inspect(page, "sign-in", seen)

    await signIn(page, ADMIN)
    await page.getByText("Jira is not connected to this workspace yet.").waitFor()

    await mainNav(page).getByRole("link", { name: "Manage", exact: true }).click()
    await page.waitForURL((url) => url.pathname === "/manage/integrations/jira")
    await manageNav(page).getByRole("link", { name: "Credentials" }).click()
    await page.waitForURL((url) => url.pathname === "/manage/credentials")

    const credentialForm = page.locator('form[action="/manage/credentials"]')
    const token = credentialForm.locator('input[name="token"]')
    expect(await token.getAttribute("type")).toBe("password")
    await credentialForm.locator('input[name="name"]').fill("Demo Jira bot")
    await credentialForm.locator('input[name="username"]').fill(DEMO_ACCOUNT.email)
    // Refused first (a token has no spaces): the form comes back without the token in it.
    seen.expectStatus(`${app.url}/manage/credentials`, 422)
    await token.fill(`${API_TOKEN} ${API_TOKEN}`)
    await credentialForm.getByRole("button", { name: "Add credential" }).click()
    await page.locator("#token-error").getByText("API token must not contain spaces.").waitFor()
    expect(await credentialForm.locator('input[name="name"]').inputValue()).toBe("Demo Jira bot")
    expect(await token.inputValue()).toBe("")
    await token.fill(API_TOKEN)
    await credentialForm.getByRole("button", { name: "Add credential" }).click()
    await page.waitForURL((url) => url.pathname === "/manage/credentials" && url.searchParams.get("done") === "created")
    expect(await page.locator(".notice").textContent()).toContain("Credential added.")
    const row = page.locator("table tbody tr").filter({ hasText: "Demo Jira bot" })
    expect(await row.locator("td").nth(1).textContent()).toBe(DEMO_ACCOUNT.email)
    expect(await page.content()).not.toContain(API_TOKEN)
    await inspect(page, "credentials", seen)

    await manageNav(page).getByRole("link", { name: "Integrations › Jira" }).click()
    await page.waitForURL((url) => url.pathname === "/manage/integrations/jira")
    expect(await page.locator(".panel-head .badge").textContent()).toBe("Not connected")
    const jiraForm = page.locator("#jira-form")
    await jiraForm.locator('input[name="name"]').fill("Demo Jira")
    await jiraForm.locator('input[name="baseUrl"]').fill(DEMO_SITE)
    await jiraForm
      .locator('select[name="credentialId"]')
      .selectOption({ label: `Demo Jira bot (${DEMO_ACCOUNT.email})` })
    expect(await jiraForm.locator('textarea[name="defaultJql"]').inputValue()).toBe("")

    await jiraForm.getByRole("button", { name: "Test connection" }).click()
    const badge = page.locator("#test-result .badge-ok")
    await badge.waitFor()
    expect(await badge.textContent()).toBe(`Connected as ${DEMO_ACCOUNT.email}`)
    // The test is a fragment swap: the page (and what was typed) stays.
    expect(new URL(page.url()).pathname).toBe("/manage/integrations/jira")
    expect(await jiraForm.locator('input[name="name"]').inputValue()).toBe("Demo Jira")
    await inspect(page, "jira-settings", seen)

    await jiraForm.getByRole("button", { name: "Save", exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "saved")
    expect(await page.locator(".notice").textContent()).toBe("Jira connection saved.")
    // Tested before it was saved: the saved connection itself has no test recorded yet (issue 13).
    expect(await page.locator(".panel-head .badge").textContent()).toBe("Not tested yet")
    expect(await page.locator('#jira-form input[name="baseUrl"]').inputValue()).toBe(DEMO_SITE)
  })

  it("shows the simulator's own counts for the default JQL on the home widget", async () => {
    const { page } = admin
    await mainNav(page).getByRole("link", { name: "Home", exact: true }).click()
    await page.waitForURL((url) => url.pathname === "/")
    await page.locator("#jira-widget .stats").waitFor()

    const expected = splitOf(app.sim, app.sim.search(DEFAULT_WHERE))
    expect(expected.todo * expected.inProgress * expected.done).toBeGreaterThan(0)
    expect({
      open: await statValue(page, "Open issues"),
      todo: await statValue(page, "To Do"),
      inProgress: await statValue(page, "In Progress"),
      done: await statValue(page, "Done")
    }).toEqual({ open: expected.todo + expected.inProgress, ...expected })
    expect(await page.locator("#jira-widget code.jql").textContent()).toBe(`${DEFAULT_WHERE} ORDER BY updated DESC`)
    await inspect(page, "home", seen)
  })

  it("finds a project, charts its sample, filters its issues with history, and loads more rows", async () => {
    const { page } = admin
    await mainNav(page).getByRole("link", { name: "Projects", exact: true }).click()
    await page.waitForURL((url) => url.pathname === "/projects")
    const projectRows = page.locator("#project-results tbody tr")
    expect(await projectRows.count()).toBe(Math.min(25, app.sim.data.projects.length))
    await inspect(page, "projects", seen)

    await page.locator("#project-search").fill(PROJECT.search)
    await page.waitForURL((url) => url.pathname === "/projects" && url.searchParams.get("q") === PROJECT.search)
    const matching = app.sim.data.projects
      .filter((p) => `${p.key} ${p.name}`.toLowerCase().includes(PROJECT.search))
      .map((p) => p.name)
    await expect.poll(() => projectRows.locator("td:first-child a").allTextContents()).toEqual(matching)
    expect(await page.evaluate(() => location.search)).toBe(`?q=${PROJECT.search}`)

    await projectRows.getByRole("link", { name: PROJECT.name }).click()
    await page.waitForURL((url) => url.pathname === `/projects/${PROJECT.key}`)
    expect(await page.locator("h1").textContent()).toBe(PROJECT.name)

    const scoped = `${DEFAULT_WHERE} AND project = ${PROJECT.key}`
    const all = app.sim.search(`${scoped} ORDER BY updated DESC`)
    const split = splitOf(app.sim, all)
    expect({
      total: await statValue(page, "Issues"),
      todo: await statValue(page, "To Do"),
      inProgress: await statValue(page, "In Progress"),
      done: await statValue(page, "Done")
    }).toEqual({ total: split.todo + split.inProgress + split.done, ...split })

    // The charts tally Jira's 100 most recent matching issues; the project has more than that.
    const sample = all.slice(0, 100)
    expect(all.length).toBeGreaterThan(100)
    const priorityName = new Map(app.sim.data.priorities.map((p) => [p.id, p.name]))
    const userName = new Map(app.sim.data.users.map((u) => [u.accountId, u.displayName]))
    const expectedCharts = {
      "by-priority": tally(sample.map((i) => (i.priorityId == null ? "No priority" : priorityName.get(i.priorityId)!))),
      "by-assignee": tally(
        sample.map((i) => (i.assigneeAccountId === null ? "Unassigned" : userName.get(i.assigneeAccountId)!))
      )
    }
    for (const [id, title] of [
      ["by-priority", "By priority"],
      ["by-assignee", "By assignee"]
    ] as const) {
      const figure = page.locator("figure.chart").filter({ has: page.locator(`#${id}-title`) })
      expect(await figure.locator("h3").textContent()).toBe(title)
      // Bars are links to Jira's search (issue 13): the chart is a group of links, not one image.
      const svg = figure.locator('svg[role="group"]')
      expect(await svg.count()).toBe(1)
      // The chart's own title; each bar's link has a <title> of its own (its name: label, count, new tab).
      expect(await svg.locator(":scope > title").textContent()).toBe(title)
      expect(await figure.locator("figcaption").textContent()).toBe(
        "Tallied from the 100 most recent matching issues (not the full result set)."
      )
      const bars = (await svg.locator(".chart-value").allTextContents()).map((v) => Number(v.replace(/,/g, "")))
      expect(bars.reduce((a, b) => a + b, 0)).toBe(100)
      expect(await chartTable(page, id)).toEqual(expectedCharts[id])
    }

    expect(await rowKeys(page)).toEqual(all.slice(0, 25).map((i) => i.key))
    await inspect(page, "project", seen)

    await page.getByRole("button", { name: "Load more" }).click()
    await expect.poll(() => rowKeys(page)).toEqual(all.slice(0, 50).map((i) => i.key))
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(1)

    const category = categoryOf(app.sim)
    const inProgress = app.sim.search(`${scoped} AND statusCategory = indeterminate ORDER BY updated DESC`)
    expect(inProgress.every((i) => category(i) === "indeterminate")).toBe(true)
    await page.locator('select[name="status"]').selectOption("indeterminate")
    await page.waitForURL((url) => url.searchParams.get("status") === "indeterminate")
    const statusKeys = inProgress.slice(0, 25).map((i) => i.key)
    await expect.poll(() => rowKeys(page)).toEqual(statusKeys)
    const pills = await page.locator("#issue-rows .pill").evaluateAll((els) => els.map((el) => el.className))
    expect(pills.length).toBe(statusKeys.length)
    expect(pills.every((c) => c.includes("pill-indeterminate"))).toBe(true)

    // The person with the most in-progress issues among those the page offers.
    const offered = await page
      .locator('select[name="assignee"] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    const counts = tally(inProgress.flatMap((i) => (i.assigneeAccountId === null ? [] : [i.assigneeAccountId])))
    const [assignee] = Object.entries(counts)
      .filter(([id]) => offered.includes(id))
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => id)
    if (assignee === undefined) throw new Error("no assignee to filter by in the simulated data")
    await page.locator('select[name="assignee"]').selectOption(assignee)
    await page.waitForURL((url) => url.searchParams.get("assignee") === assignee)
    const theirs = inProgress.filter((i) => i.assigneeAccountId === assignee)
    await expect.poll(() => rowKeys(page)).toEqual(theirs.slice(0, 25).map((i) => i.key))
    expect(new Set(await assigneeNames(page))).toEqual(new Set([userName.get(assignee)]))
    const search = new URLSearchParams(await page.evaluate(() => location.search))
    expect({ status: search.get("status"), assignee: search.get("assignee") }).toEqual({
      status: "indeterminate",
      assignee
    })

    await page.goBack()
    await page.waitForURL(
      (url) => url.searchParams.get("status") === "indeterminate" && !url.searchParams.has("assignee")
    )
    await expect.poll(() => rowKeys(page)).toEqual(statusKeys)
    expect(await page.locator('select[name="assignee"]').inputValue()).toBe("")
    expect(await page.locator('select[name="status"]').inputValue()).toBe("indeterminate")
  })

  it("opens an issue key in Jira in a new tab, without an opener or a referrer", async () => {
    const { context, page } = admin
    const link = page.locator("#issue-rows a.issue-key").first()
    const key = (await rowKeys(page))[0]!
    expect(await link.getAttribute("href")).toBe(`${DEMO_SITE}/browse/${key}`)
    expect(await link.getAttribute("target")).toBe("_blank")
    expect((await link.getAttribute("rel"))?.split(/\s+/)).toEqual(expect.arrayContaining(["noopener", "noreferrer"]))
    const before = page.url()

    const [popup] = await Promise.all([context.waitForEvent("page"), link.click()])
    await popup.waitForLoadState()
    expect(popup.url()).toBe(`${DEMO_SITE}/browse/${key}`)
    expect(await popup.locator("h1").textContent()).toBe(key)
    expect(await popup.evaluate(() => window.opener)).toBeNull()
    expect(await popup.evaluate(() => document.referrer)).toBe("")
    await popup.close()
    expect(page.url()).toBe(before)
  })

  it("shows a viewer no Manage link and answers 403 on every Manage page but their API tokens", async () => {
    const viewer = await session()
    try {
      const { page } = viewer
      await page.goto("/login")
      await signIn(page, VIEWER)
      expect(await mainNav(page).getByRole("link").allTextContents()).toEqual(["Home", "Projects", "API tokens"])
      await page.locator("#jira-widget .stats").waitFor()
      expect(await page.locator(".account .email").textContent()).toBe(VIEWER.email)
      await inspect(page, "viewer-home", seen)

      for (const path of MANAGE_PATHS) {
        seen.expectStatus(`${app.url}${path}`, 403)
        const response = await page.goto(path)
        expect({ path, status: response?.status() }).toEqual({ path, status: 403 })
        expect(await page.locator("main h1").textContent()).toBe("Not permitted")
        expect(await page.locator('form[method="post"]:not([action="/logout"])').count()).toBe(0)
      }
      await inspect(page, "not-permitted", seen)
    } finally {
      // The leak sentinel reads every response's body: let it finish before the pages go.
      await seen.settled()
      await viewer.context.close()
    }
  })

  it("records the connection's creation, update and removal in the audit log", async () => {
    const { page } = admin
    await page.goto("/manage/integrations/jira")
    await page.locator('#jira-form input[name="name"]').fill("Demo Jira (renamed)")
    await page.locator("#jira-form").getByRole("button", { name: "Save", exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "saved")
    expect(await page.locator('#jira-form input[name="name"]').inputValue()).toBe("Demo Jira (renamed)")

    const confirmsBefore = seen.dialogs.length
    await page.getByRole("button", { name: "Remove", exact: true }).click()
    await page.locator(".notice").getByText("Jira connection removed.", { exact: false }).waitFor()
    // The address must follow (HX-Redirect), or a reload would show the state before the removal.
    expect.soft(new URL(page.url()).search, "the address after Remove").toBe("?done=removed")
    expect(seen.dialogs.slice(confirmsBefore)).toEqual([
      {
        type: "confirm",
        message: "Remove the Jira connection? Dashboards stop showing Jira data until it is connected again."
      }
    ])
    expect(await page.locator(".notice").textContent()).toBe("Jira connection removed. The credential was kept.")
    expect(await page.locator(".panel-head .badge").textContent()).toBe("Not connected")

    await manageNav(page).getByRole("link", { name: "Audit log" }).click()
    await page.waitForURL((url) => url.pathname === "/manage/audit")
    const rows = page.locator("table tbody tr")
    // Readable actions (issue 13), each with its code on hover.
    const actions = rows.locator("td:nth-child(2) .audit-action")
    expect(await actions.allTextContents()).toEqual([
      "Jira connection removed",
      "Jira connection changed",
      "Jira connection created",
      "Credential added"
    ])
    expect(await actions.evaluateAll((cells) => cells.map((cell) => cell.getAttribute("title")))).toEqual([
      "JIRA_CONFIG_DELETED",
      "JIRA_CONFIG_UPDATED",
      "JIRA_CONFIG_CREATED",
      "CREDENTIAL_CREATED"
    ])
    expect(new Set(await rows.locator("td:nth-child(3)").allTextContents())).toEqual(new Set([ADMIN.email]))
    expect(await rows.nth(1).locator("td:nth-child(5)").textContent()).toContain("Demo Jira → Demo Jira (renamed)")
    await inspect(page, "audit-log", seen)

    await mainNav(page).getByRole("link", { name: "Home", exact: true }).click()
    await page.getByText("Jira is not connected to this workspace yet.").waitFor()
  })

  it("rendered every surface in standards mode and wrote a PNG screenshot of it in both colour schemes, at 1280 px and 390 px", () => {
    expect([...seen.screenshots.keys()].sort()).toEqual(SURFACES.flatMap(screenshotNames).sort())
    expect(Object.fromEntries(seen.renderingModes)).toEqual(Object.fromEntries(SURFACES.map((s) => [s, "CSS1Compat"])))
    for (const [surface, path] of seen.screenshots) {
      const png = readFileSync(path)
      expect({ surface, signature: png.subarray(0, 8).toString("hex") }).toEqual({
        surface,
        signature: "89504e470d0a1a0a"
      })
      // IHDR: the full-page shot is as wide as the viewport (the page does not scroll sideways).
      expect({ surface, width: png.readUInt32BE(16) }).toEqual({
        surface,
        width: surface.includes("(390 px") ? PHONE_WIDTH : 1280
      })
    }
  })

  it("fits every surface in a 390 px wide phone screen: no page scrolls sideways", () => {
    expect([...seen.phoneWidths.keys()].sort()).toEqual([...SURFACES].sort())
    const wider = [...seen.phoneWidths].filter(([, width]) => width > PHONE_WIDTH)
    expect(Object.fromEntries(wider)).toEqual({})
  })

  it("follows the system's colour scheme: every surface has a light and a dark background", () => {
    expect(Object.fromEntries(seen.backgrounds)).toEqual(
      Object.fromEntries(SURFACES.map((s) => [s, { light: "rgb(246, 247, 249)", dark: "rgb(29, 33, 37)" }]))
    )
  })

  it("has no serious or critical accessibility violations on any surface, in either colour scheme", () => {
    expect([...seen.audited].sort()).toEqual([...SURFACES, ...SURFACES.map((s) => `${s} (dark)`)].sort())
    const blocking = seen.findings
      .filter((f) => f.impact === "serious" || f.impact === "critical")
      .map((f) => `${f.surface}: ${f.rule} (${f.impact}) ${f.help} at ${f.targets.join(", ")}. ${f.summary}`)
    expect(blocking).toEqual([])
  })

  it("serves the icon every page links, and sends the classic /favicon.ico path to it", async () => {
    const { page } = admin
    const href = await page.locator('link[rel="icon"]').getAttribute("href")
    expect(href).toBe("/static/favicon.svg")
    const icon = await page.request.get(href ?? "")
    expect({ status: icon.status(), type: icon.headers()["content-type"] }).toEqual({
      status: 200,
      type: "image/svg+xml"
    })
    const classic = await page.request.get("/favicon.ico")
    expect({ status: classic.status(), url: new URL(classic.url()).pathname }).toEqual({
      status: 200,
      url: "/static/favicon.svg"
    })
  })

  it("logged no console error, uncaught exception or CSP violation, and raised no alert", () => {
    expect(seen.consoleErrors).toEqual([])
    expect(seen.dialogs.filter((d) => d.type !== "confirm")).toEqual([])
  })

  // Last: it stops the app to read what the app left behind (its database is locked while it runs).
  it("never let the API token out: no response, page text, log line, row, audit payload or data file holds it", async () => {
    const started = performance.now()
    // Planted on purpose in every channel, so the same scan must find it in each: a redirect's Location
    // header and the sign-in page (its `next`), a credential's name (page text, a row, an audit payload, the
    // embedded database's files), a log line through the app's own logger, and a file of the data folder.
    const anonymous = await session()
    try {
      await anonymous.page.goto(`/projects?q=${PLANTED}`)
      await anonymous.page.waitForURL((url) => url.pathname === "/login")
      await anonymous.page.waitForLoadState("load")
    } finally {
      await seen.settled()
      await anonymous.context.close()
    }
    const { page } = admin
    await page.goto("/manage/credentials")
    const form = page.locator('form[action="/manage/credentials"]')
    await form.locator('input[name="name"]').fill(PLANTED)
    await form.locator('input[name="username"]').fill(DEMO_ACCOUNT.email)
    await form.locator('input[name="token"]').fill(derive(PLANTED, "token"))
    await form.getByRole("button", { name: "Add credential" }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "created")
    await recordPageText(page, "planted", seen)
    await app.running.deps.runtime.runPromise(Effect.logTrace(`planted ${PLANTED}`))
    writeFileSync(join(app.dataDir, "planted.txt"), PLANTED)

    await seen.settled()
    await app.stop()
    output.restore()
    const after = await collectAfterRun({
      dataDir: app.dataDir,
      database: app.databaseUrl === null ? { dataDir: app.dataDir } : { url: app.databaseUrl }
    })
    const scan = (scanner: LeakScanner) => {
      for (const response of seen.responses) {
        const label = `${response.method} ${response.url} ${response.status}`
        scanner.scan("response", `${label} url`, response.url)
        scanHeaders(
          scanner,
          label,
          response.headers.map((h) => [h.name, h.value] as const)
        )
        if (response.body !== null) scanner.scan("response", `${label} body`, response.body)
      }
      for (const text of seen.pageTexts) {
        scanner.scan("page text", text.surface, text.visibleText)
        scanner.scan("page html", text.surface, text.html)
      }
      scanAfterRun(scanner, output.lines, after)
      return scanner
    }
    const scanner = scan(new LeakScanner(API_TOKEN))
    const control = scan(new LeakScanner(PLANTED))

    expect(scanner.findings).toEqual([])
    expect(channelsOf(control)).toEqual(["audit", "file", "header", "log", "page html", "page text", "response", "row"])
    if (app.databaseUrl === null) expect(control.findings.some((f) => f.where.startsWith("file: pglite"))).toBe(true)
    // Each response was read whole (a redirect, a 204 or a 304 has no body to read; the icon is fetched by the
    // browser for its own tab strip, outside the page, so its body cannot be read back: it is a fixed file).
    expect(
      seen.responses
        .filter((r) => r.bodyError !== null && r.status !== 204 && (r.status < 300 || r.status >= 400))
        .filter((r) => new URL(r.url).pathname !== "/static/favicon.svg")
        .map((r) => `${r.method} ${r.url} ${r.status}: ${r.bodyError}`)
    ).toEqual([])
    expect(seen.pageTexts.map((t) => t.surface).sort()).toEqual([...SURFACES, "planted"].sort())
    expect(after.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["public.credentials", "public.audit_events", "drizzle.__drizzle_migrations"])
    )
    expect(auditRows(after).length).toBe(5)
    // The token is kept, and only encrypted: the secret store gives it back with its key.
    expect([...after.secrets].sort()).toEqual([API_TOKEN, derive(PLANTED, "token")].sort())

    const counts = scanner.counts()
    const figures = {
      driver: app.databaseUrl === null ? "pglite" : "postgres",
      responses: seen.responses.length,
      appResponses: seen.responses.filter((r) => r.url.startsWith(app.url)).length,
      pageTexts: seen.pageTexts.length,
      logLines: output.lines.length,
      tables: after.tables.length,
      rows: after.tables.reduce((n, t) => n + t.rows.length, 0),
      auditRows: auditRows(after).length,
      files: after.files.length,
      scanned: counts,
      ms: Math.round(performance.now() - started)
    }
    mkdirSync(ARTIFACTS_DIR, { recursive: true })
    writeFileSync(join(ARTIFACTS_DIR, "leak-report.json"), `${JSON.stringify(figures, null, 2)}\n`)
  })
})
