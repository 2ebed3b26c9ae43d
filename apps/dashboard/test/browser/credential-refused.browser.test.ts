import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { ADMIN, type AppUnderTest, startAppUnderTest } from "./app-under-test.ts"
import { inspect, launchChromium, Observations, openSession } from "./chromium.ts"
import { addCredential, saveDemoConnection, signIn } from "./flows.ts"

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
    await signIn(page, ADMIN)
    await addCredential(page, { name: "Revoked bot", email: DEMO_ACCOUNT.email, token: REVOKED_TOKEN })
    // Saved without a test, as after a token is revoked at Atlassian: the pages meet the refusal first.
    await saveDemoConnection(page, { credential: "Revoked bot" })

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
