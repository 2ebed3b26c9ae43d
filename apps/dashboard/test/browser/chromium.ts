import { readFileSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { DEMO_SITE } from "@sciple/jira-simulator"
import type { AxeResults, RunOptions } from "axe-core"
import { type Browser, type BrowserContext, chromium, type Page, type Response } from "playwright-core"

/** Where the suite leaves what a person may want to look at; git ignores `.artifacts/`. */
export const ARTIFACTS_DIR = fileURLToPath(new URL("../../.artifacts/", import.meta.url))
const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, "screenshots")

/** The system's Chromium, driven over CDP: the suite never downloads a browser. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic"
    ]
  })

export interface AxeFinding {
  readonly surface: string
  readonly rule: string
  readonly impact: string | null
  readonly help: string
  readonly targets: ReadonlyArray<string>
  readonly summary: string
}

/** One response the browser received, as the leak sentinel scans it. */
export interface RecordedResponse {
  readonly method: string
  readonly url: string
  readonly status: number
  headers: ReadonlyArray<{ readonly name: string; readonly value: string }>
  body: Buffer | null
  /** Why the body could not be read (a redirect has none), or null. */
  bodyError: string | null
}

/** What a person could read on a surface when it was screenshotted. */
export interface PageText {
  readonly surface: string
  readonly url: string
  readonly visibleText: string
  readonly html: string
}

/** Everything the pages did that a test asserts on afterwards: console errors, dialogs, audits, screenshots. */
export class Observations {
  /** Every response of every page of every session, headers and body. */
  readonly responses: Array<RecordedResponse> = []
  readonly pageTexts: Array<PageText> = []
  readonly #reading: Array<Promise<void>> = []
  readonly consoleErrors: Array<string> = []
  readonly dialogs: Array<{ readonly type: string; readonly message: string }> = []
  readonly findings: Array<AxeFinding> = []
  readonly audited = new Set<string>()
  readonly screenshots = new Map<string, string>()
  /** The page's background colour in each colour scheme, per surface: the dark scheme must really apply. */
  readonly backgrounds = new Map<string, { readonly light: string; readonly dark: string }>()
  /** `document.documentElement.scrollWidth` of each surface at a phone's width: more than the width scrolls sideways. */
  readonly phoneWidths = new Map<string, number>()
  /** `document.compatMode` of each surface: "CSS1Compat" in standards mode, "BackCompat" in quirks mode. */
  readonly renderingModes = new Map<string, string>()
  /** `<url> <status>` of navigations the test expects to fail, whose "Failed to load resource" line is not a problem. */
  readonly expectedFailures = new Set<string>()

  expectStatus(url: string, status: number) {
    this.expectedFailures.add(`${url} ${status}`)
  }

  /** Records a response; its headers and body are read at once, before a navigation can evict them. */
  recordResponse(response: Response) {
    const entry: RecordedResponse = {
      method: response.request().method(),
      url: response.url(),
      status: response.status(),
      headers: [],
      body: null,
      bodyError: null
    }
    this.responses.push(entry)
    this.#reading.push(
      (async () => {
        try {
          entry.headers = await response.headersArray()
          entry.body = await response.body()
        } catch (error) {
          entry.bodyError = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)
        }
      })()
    )
  }

  /** Waits until every recorded response's headers and body have been read. */
  async settled() {
    await Promise.all(this.#reading)
  }
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")
// The app's CSP is script-src 'self': axe is served from a same-origin path that the browser answers itself,
// so it is injected without weakening the policy under test (no bypassCSP, no inline script).
const AXE_PATH = "/__browser-suite__/axe.min.js"

const watch = (page: Page, observations: Observations) => {
  page.on("console", (message) => {
    if (message.type() !== "error") return
    const status = message.text().match(/the server responded with a status of (\d{3})/)?.[1]
    if (status !== undefined && observations.expectedFailures.has(`${message.location().url} ${status}`)) return
    observations.consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on("pageerror", (error) => observations.consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  page.on("dialog", (dialog) => {
    observations.dialogs.push({ type: dialog.type(), message: dialog.message() })
    // Confirmations (hx-confirm) are accepted; anything else (an alert from injected markup) is dismissed.
    void (dialog.type() === "confirm" ? dialog.accept() : dialog.dismiss())
  })
}

/**
 * A fresh browser session on the app. Requests to the simulated Jira site never leave the machine: issue
 * pages get a stand-in page and everything else (avatars) is answered by the simulator, as the server's
 * Jira client is routed.
 */
export const openSession = async (
  browser: Browser,
  options: { readonly appUrl: string; readonly simulatorUrl: string; readonly observations: Observations }
): Promise<{ readonly context: BrowserContext; readonly page: Page }> => {
  const context = await browser.newContext({ baseURL: options.appUrl, viewport: { width: 1280, height: 800 } })
  await context.route(
    (url) => url.origin === DEMO_SITE,
    async (route) => {
      const url = new URL(route.request().url())
      if (url.pathname.startsWith("/browse/")) {
        const key = url.pathname.slice("/browse/".length).replace(/[^A-Z0-9-]/g, "")
        return route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><html lang="en"><title>${key} (simulated Jira)</title><h1>${key}</h1></html>`
        })
      }
      return route.fulfill({
        response: await route.fetch({ url: `${options.simulatorUrl}${url.pathname}${url.search}` })
      })
    }
  )
  await context.route(
    (url) => url.origin === new URL(options.appUrl).origin && url.pathname === AXE_PATH,
    (route) => route.fulfill({ contentType: "text/javascript; charset=utf-8", body: AXE_SOURCE })
  )
  // A CSP report in the console's own words can change between Chromium versions; the DOM event cannot.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`)
    })
  })
  context.on("page", (page) => watch(page, options.observations))
  context.on("response", (response) => options.observations.recordResponse(response))
  const page = await context.newPage()
  return { context, page }
}

interface AxeWindow {
  readonly axe?: { readonly run: (context: Document, options: RunOptions) => Promise<AxeResults> }
}

/** Runs axe-core (every rule but the experimental ones) on the page as it is now. */
const audit = async (page: Page, surface: string, observations: Observations) => {
  if (!(await page.evaluate(() => (window as AxeWindow).axe !== undefined))) await page.addScriptTag({ url: AXE_PATH })
  const violations = await page.evaluate(async () => {
    const axe = (window as AxeWindow).axe
    if (axe === undefined) throw new Error("axe-core did not load")
    const results = await axe.run(document, { resultTypes: ["violations"] })
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(" ")),
      summary: v.nodes[0]?.failureSummary ?? ""
    }))
  })
  observations.audited.add(surface)
  observations.findings.push(...violations.map((v) => ({ surface, ...v })))
}

/** Keeps what a person could read on the page now, and its markup. */
export const recordPageText = async (page: Page, surface: string, observations: Observations) => {
  observations.pageTexts.push({
    surface,
    url: page.url(),
    visibleText: (await page.locator("body").allInnerTexts()).join("\n"),
    html: await page.content()
  })
}

/** The page's computed background colour (the root element's, as the stylesheet sets it). */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)

/** A phone's viewport: the width the pages must fit without scrolling sideways. */
export const PHONE_WIDTH = 390
const PHONE = { width: PHONE_WIDTH, height: 844 }

/** The page's width: more than the viewport's means it scrolls sideways. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * At a phone's width, in both colour schemes: `<surface>.390.png` and `<surface>.390.dark.png` (recorded as
 * "<surface> (390 px)" and "<surface> (390 px, dark)"), and the page's width in each, the larger kept.
 */
const inspectPhone = async (page: Page, surface: string, observations: Observations) => {
  const desktop = page.viewportSize()
  await page.setViewportSize(PHONE)
  try {
    const light = join(SCREENSHOTS_DIR, `${surface}.390.png`)
    const widthLight = await scrollWidth(page)
    await page.screenshot({ path: light, fullPage: true, animations: "disabled" })
    observations.screenshots.set(`${surface} (390 px)`, light)
    await page.emulateMedia({ colorScheme: "dark" })
    const dark = join(SCREENSHOTS_DIR, `${surface}.390.dark.png`)
    const widthDark = await scrollWidth(page)
    await page.screenshot({ path: dark, fullPage: true, animations: "disabled" })
    observations.screenshots.set(`${surface} (390 px, dark)`, dark)
    observations.phoneWidths.set(surface, Math.max(widthLight, widthDark))
  } finally {
    await page.emulateMedia({ colorScheme: "light" })
    if (desktop !== null) await page.setViewportSize(desktop)
  }
}

/** The names `inspect()` records a surface's screenshots under: light and dark, desktop and phone. */
export const screenshotNames = (surface: string) => [
  surface,
  `${surface} (dark)`,
  `${surface} (390 px)`,
  `${surface} (390 px, dark)`
]

/**
 * Screenshots the whole page to `.artifacts/screenshots/<surface>.png`, keeps its text and audits it; then the
 * same in the dark colour scheme (`<surface>.dark.png`, audited as "<surface> (dark)"), and back to light; then
 * both again at a phone's width (`inspectPhone`), measuring whether the page scrolls sideways there.
 */
export const inspect = async (page: Page, surface: string, observations: Observations) => {
  await page.waitForLoadState("load")
  await mkdir(SCREENSHOTS_DIR, { recursive: true })
  const path = join(SCREENSHOTS_DIR, `${surface}.png`)
  await page.screenshot({ path, fullPage: true, animations: "disabled" })
  observations.screenshots.set(surface, path)
  await recordPageText(page, surface, observations)
  observations.renderingModes.set(surface, await page.evaluate(() => document.compatMode))
  await audit(page, surface, observations)
  const light = await background(page)
  await page.emulateMedia({ colorScheme: "dark" })
  try {
    const darkPath = join(SCREENSHOTS_DIR, `${surface}.dark.png`)
    await page.screenshot({ path: darkPath, fullPage: true, animations: "disabled" })
    observations.screenshots.set(`${surface} (dark)`, darkPath)
    observations.backgrounds.set(surface, { light, dark: await background(page) })
    await audit(page, `${surface} (dark)`, observations)
  } finally {
    await page.emulateMedia({ colorScheme: "light" })
  }
  await inspectPhone(page, surface, observations)
}
