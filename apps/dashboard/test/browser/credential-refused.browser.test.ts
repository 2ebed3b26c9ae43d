import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { ADMIN, type AppUnderTest, startAppUnderTest } from "./app-under-test.ts"
import { inspect, launchChromium, Observations, openSession } from "./chromium.ts"

/**
 * A revoked Jira token, in Chromium: the project page says the credential was refused, never "no project".
 * Its own file (its own app and browser) so it cannot race the main suite's leak sentinel body reads.
 */

const REVOKED_TOKEN = "browser-suite-revoked-token"
const REFUSED = "The Jira credential was refused: check the token or create a new one."

let app: AppUnderTest
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

beforeAll(async () => {
  app = await startAppUnderTest({ accounts: [{ ...DEMO_ACCOUNT, apiToken: REVOKED_TOKEN, revoked: true }] })
  browser = await launchChromium()
  admin = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe("a revoked Jira token in Chromium", () => {
  it("connects Jira with the revoked token, and the project page says the credential was refused", async () => {
    const { page } = admin
    await page.goto("/login")
    const login = page.locator('form[action="/login"]')
    await login.locator('input[name="email"]').fill(ADMIN.email)
    await login.locator('input[name="password"]').fill(ADMIN.password)
    await login.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.pathname === "/")

    await page.goto("/manage/credentials")
    const credentialForm = page.locator('form[action="/manage/credentials"]')
    await credentialForm.locator('input[name="name"]').fill("Revoked bot")
    await credentialForm.locator('input[name="username"]').fill(DEMO_ACCOUNT.email)
    await credentialForm.locator('input[name="token"]').fill(REVOKED_TOKEN)
    await credentialForm.getByRole("button", { name: "Add credential" }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "created")

    await page.goto("/manage/integrations/jira")
    const jiraForm = page.locator("#jira-form")
    await jiraForm.locator('input[name="name"]').fill("Demo Jira")
    await jiraForm.locator('input[name="baseUrl"]').fill(DEMO_SITE)
    await jiraForm.locator('select[name="credentialId"]').selectOption({ label: `Revoked bot (${DEMO_ACCOUNT.email})` })
    // Saved without a test, as after a token is revoked at Atlassian: the pages meet the refusal first.
    await jiraForm.getByRole("button", { name: "Save", exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "saved")

    app.sim.resetCalls()
    // Jira refused the app's credential: a bad gateway for the person, not their own mistake.
    seen.expectStatus(`${app.url}/projects/DEMO`, 502)
    const response = await page.goto("/projects/DEMO")
    expect(response?.status()).toBe(502)
    const alert = page.getByRole("alert").filter({ hasText: REFUSED })
    await alert.waitFor()
    expect(await page.locator("body").textContent()).not.toMatch(/No Jira project|was not found/)
    // The simulator did answer as Jira does for a failed credential: anonymously.
    expect(app.sim.calls.length).toBeGreaterThan(0)
    expect(app.sim.calls.every((call) => call.accountId === null)).toBe(true)
    await inspect(page, "credential-refused", seen)
    expect(seen.findings.filter((f) => f.impact === "serious" || f.impact === "critical")).toEqual([])
    expect(seen.consoleErrors).toEqual([])
  })
})
