import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import type { Browser, Page } from "playwright-core"
import { ADMIN, type AppUnderTest, startAppUnderTest, VIEWER } from "./app-under-test.ts"
import { launchChromium, Observations, openSession } from "./chromium.ts"

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

const signIn = async (page: Page, who: { readonly email: string; readonly password: string }) => {
  await page.goto("/login")
  const login = page.locator('form[action="/login"]')
  await login.locator('input[name="email"]').fill(who.email)
  await login.locator('input[name="password"]').fill(who.password)
  await login.getByRole("button", { name: "Sign in" }).click()
  await page.waitForURL((url) => url.pathname === "/")
}

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
    await page.goto("/manage/credentials")
    const credentialForm = page.locator('form[action="/manage/credentials"]')
    await credentialForm.locator('input[name="name"]').fill("Demo bot")
    await credentialForm.locator('input[name="username"]').fill(DEMO_ACCOUNT.email)
    await credentialForm.locator('input[name="token"]').fill(DEMO_ACCOUNT.apiToken)
    await credentialForm.getByRole("button", { name: "Add credential" }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "created")
    await page.goto("/manage/integrations/jira")
    const jiraForm = page.locator("#jira-form")
    await jiraForm.locator('input[name="name"]').fill("Demo Jira")
    await jiraForm.locator('input[name="baseUrl"]').fill(DEMO_SITE)
    await jiraForm.locator('select[name="credentialId"]').selectOption({ label: `Demo bot (${DEMO_ACCOUNT.email})` })
    await jiraForm.getByRole("button", { name: "Save", exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "saved")

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
