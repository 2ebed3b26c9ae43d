import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import type { Browser, Page } from "playwright-core"
import { ADMIN, type AppUnderTest, startAppUnderTest, VIEWER } from "./app-under-test.ts"
import { launchChromium, Observations, openSession } from "./chromium.ts"
import { addCredential, saveDemoConnection, signIn } from "./flows.ts"

/**
 * Every page of the demo, as the admin and as the viewer: no console error, no failed request, and every
 * avatar a loaded picture served from the app's own origin (never from the Jira site, which a browser cannot
 * reach in the demo and which wants a sign-in for custom avatars in real life).
 */

const PAGES = {
  admin: [
    "/",
    "/projects",
    "/projects/DEMO",
    "/manage",
    "/manage/credentials",
    "/manage/integrations/jira",
    "/manage/audit",
    "/manage/api-tokens"
  ],
  // Every signed-in person may hold API tokens (issue 13): the viewer has Manage › API tokens too.
  viewer: ["/", "/projects", "/projects/DEMO", "/manage/api-tokens"]
} as const

let app: AppUnderTest
let browser: Browser
const seen = new Observations()

beforeAll(async () => {
  app = await startAppUnderTest({ fromTemplate: true })
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

/** Visits each page, waits for its htmx panels and pictures, and checks every avatar on it. */
const walk = async (page: Page, paths: ReadonlyArray<string>) => {
  let avatars = 0
  for (const path of paths) {
    await page.goto(path)
    await page.waitForLoadState("networkidle")
    const images = page.locator(".avatar img")
    for (const image of await images.all()) {
      await image.scrollIntoViewIfNeeded()
      await image.evaluate((img: HTMLImageElement) => (img.complete ? undefined : img.decode().catch(() => undefined)))
      const { src, width } = await image.evaluate((img: HTMLImageElement) => ({
        src: img.currentSrc,
        width: img.naturalWidth
      }))
      expect(new URL(src).origin, `${path}: ${src}`).toBe(app.url)
      expect(width, `${path}: ${src}`).toBeGreaterThan(1)
      avatars++
    }
  }
  return avatars
}

describe("the demo in Chromium", () => {
  it("loads every page as admin and viewer without a console error or a failed request, avatars included", async () => {
    const admin = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
    await signIn(admin.page, ADMIN)
    const { page } = admin
    await addCredential(page, { name: "Demo bot", email: DEMO_ACCOUNT.email, token: DEMO_ACCOUNT.apiToken })
    await saveDemoConnection(page, { credential: "Demo bot" })

    const adminAvatars = await walk(page, PAGES.admin)
    const viewer = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
    await signIn(viewer.page, VIEWER)
    const viewerAvatars = await walk(viewer.page, PAGES.viewer)
    await seen.settled()

    expect(adminAvatars).toBeGreaterThan(0)
    expect(viewerAvatars).toBeGreaterThan(0)
    expect(seen.consoleErrors).toEqual([])
    const failed = seen.responses.filter((r) => r.status >= 400).map((r) => `${r.status} ${r.method} ${r.url}`)
    expect(failed).toEqual([])
    // The browser never asks the Jira site for anything: avatars come through the app.
    expect(seen.responses.filter((r) => new URL(r.url).origin === DEMO_SITE).map((r) => r.url)).toEqual([])
    expect(seen.responses.some((r) => new URL(r.url).pathname === "/static/favicon.svg" && r.status === 200)).toBe(true)
    await admin.context.close()
    await viewer.context.close()
  }, 180_000)
})
