import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { ADMIN, type AppUnderTest, startAppUnderTest, VIEWER } from "./app-under-test.ts"
import { inspect, launchChromium, Observations, openSession } from "./chromium.ts"
import { signIn } from "./flows.ts"

/**
 * Manage, in Chromium (issue 13): the connection's state tells the truth, Test connection checks what Save
 * checks and says it with the form's labels, the credential form and the audit log speak plainly, and a viewer
 * creates and revokes their own API token (after a confirmation), both in the audit log.
 */

let app: AppUnderTest
let browser: Browser
let admin: { readonly context: BrowserContext; readonly page: Page }
const seen = new Observations()

const state = (page: Page) => page.locator("#connection-state")
const testResult = (page: Page) => page.locator("#test-result")

beforeAll(async () => {
  app = await startAppUnderTest({ fromTemplate: true })
  browser = await launchChromium()
  admin = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
  await signIn(admin.page, ADMIN)
}, 120_000)

afterAll(async () => {
  await seen.settled()
  await browser?.close()
  await app?.close()
})

describe("Manage in Chromium", () => {
  it("asks for an Atlassian email and an API token, with the link to create one", async () => {
    const { page } = admin
    await page.goto("/manage/credentials")
    const form = page.locator('form[action="/manage/credentials"]')
    const create = form.getByRole("link", { name: "Create an API token" })
    expect(await create.getAttribute("href")).toBe("https://id.atlassian.com/manage-profile/security/api-tokens")
    expect(await create.getAttribute("target")).toBe("_blank")
    expect(await form.locator("#token-scopes").textContent()).toContain("read:jira-work")
    const text = (await form.textContent()) ?? ""
    for (const jargon of ["username_password", "provider", "The username.", "The password."]) {
      expect(text, jargon).not.toContain(jargon)
    }
    await form.getByLabel("Name").fill("Demo Jira bot")
    await form.getByLabel("Atlassian email").fill(DEMO_ACCOUNT.email)
    await form.getByLabel("API token").fill(DEMO_ACCOUNT.apiToken)
    await form.getByRole("button", { name: "Add credential" }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "created")
    await inspect(page, "manage-credentials", seen)
  })

  it("shows what Save would refuse under Test connection, in the form's own labels", async () => {
    const { page } = admin
    await page.goto("/manage/integrations/jira")
    expect(await state(page).textContent()).toBe("Not connected")
    const form = page.locator("#jira-form")
    await form.getByLabel("Name").fill("Demo Jira")
    // Refusals answer 422: expected here, not a failed request.
    seen.expectStatus(`${app.url}/manage/integrations/jira/test`, 422)
    seen.expectStatus(`${app.url}/manage/integrations/jira`, 422)
    await form.getByLabel("Site URL").fill("http://demo.atlassian.net")
    await form.getByRole("button", { name: "Test connection" }).click()
    await testResult(page).getByRole("alert").first().waitFor()
    expect(await testResult(page).getByRole("alert").allTextContents()).toEqual([
      "Site URL: The URL must start with https://.",
      "Credential: Select a credential."
    ])

    await form.getByLabel("Site URL").fill(DEMO_SITE)
    await form.locator('select[name="credentialId"]').selectOption({ label: `Demo Jira bot (${DEMO_ACCOUNT.email})` })
    await form.locator('textarea[name="defaultJql"]').fill("project = = (")
    await form.getByRole("button", { name: "Test connection" }).click()
    const refused = testResult(page)
      .getByRole("alert")
      .filter({ hasText: /^Default JQL: / })
    await refused.waitFor()
    expect(await testResult(page).getByRole("alert").count()).toBe(1)
    const message = (await refused.textContent()) ?? ""
    expect(message).toMatch(/^Default JQL: /)

    // Save refuses it too, with the same words on the field.
    await form.getByRole("button", { name: "Save", exact: true }).click()
    await page.locator("#jira-jql-error").waitFor()
    expect(await page.locator("#jira-jql-error").textContent()).toBe(message.replace(/^Default JQL: /, ""))
  })

  it("says 'Not tested yet' after Save, then who it is connected as once tested", async () => {
    const { page } = admin
    const form = page.locator("#jira-form")
    await form.locator('textarea[name="defaultJql"]').fill("")
    await form.getByRole("button", { name: "Save", exact: true }).click()
    await page.waitForURL((url) => url.searchParams.get("done") === "saved")
    expect(await state(page).textContent()).toMatch(/^Not tested yet\s+Saved, never tested: use Test connection\.$/)
    expect(await state(page).locator(".badge-ok").count()).toBe(0)

    await form.getByRole("button", { name: "Test connection" }).click()
    await testResult(page).locator(".badge-ok").waitFor()
    // The head follows the test of the saved connection without a reload.
    await state(page).locator(".badge-ok").waitFor()
    expect(await state(page).textContent()).toMatch(
      new RegExp(`^Connected as ${DEMO_ACCOUNT.email.replace(/\./g, "\\.")}\\s+\\(tested .+\\)$`)
    )
    await page.reload()
    expect(await state(page).locator(".badge-ok").textContent()).toBe(`Connected as ${DEMO_ACCOUNT.email}`)
    await inspect(page, "manage-jira-states", seen)
  })

  it("lets a viewer create and revoke their own API token, after a confirmation", async () => {
    const viewer = await openSession(browser, { appUrl: app.url, simulatorUrl: app.simulator.url, observations: seen })
    try {
      const { page } = viewer
      await signIn(page, VIEWER)
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click()
      await page.waitForURL((url) => url.pathname === "/manage/api-tokens")
      await page.getByLabel("Name").fill("Viewer's script")
      await page.getByRole("button", { name: "Create token" }).click()
      const secret = (await page.locator(".secret-once").textContent()) ?? ""
      expect(secret).toMatch(/^sciple_pat_/)

      const confirmsBefore = seen.dialogs.length
      await page.getByRole("button", { name: "Revoke Viewer's script" }).click()
      await page.getByText("Token revoked: it no longer works.").waitFor()
      expect(seen.dialogs.slice(confirmsBefore)).toEqual([
        { type: "confirm", message: "Revoke the token “Viewer's script”? Anything using it stops working at once." }
      ])
      expect(new URL(page.url()).search).toBe("?done=revoked")
      expect(await page.locator("tbody tr").first().textContent()).toContain("revoked")
      await inspect(page, "viewer-api-tokens", seen)
    } finally {
      await seen.settled()
      await viewer.context.close()
    }
  })

  it("shows the audit log in words: who did what, labels with before → after, codes on hover", async () => {
    const { page } = admin
    await page.goto("/manage/audit")
    const rows = page.locator("table tbody tr")
    const actions = rows.locator(".audit-action")
    expect(await actions.allTextContents()).toEqual([
      "API token revoked",
      "API token created",
      "Jira connection created",
      "Credential added"
    ])
    expect(await actions.evaluateAll((cells) => cells.map((cell) => cell.getAttribute("title")))).toEqual([
      "API_TOKEN_REVOKED",
      "API_TOKEN_CREATED",
      "JIRA_CONFIG_CREATED",
      "CREDENTIAL_CREATED"
    ])
    expect(await rows.nth(0).locator("td").nth(2).textContent()).toBe(VIEWER.email)
    expect(await rows.nth(1).locator("td").nth(4).locator("li").allTextContents()).toEqual([
      "Name: Viewer's script",
      expect.stringMatching(/^Expires: \d{4}-\d\d-\d\d$/)
    ])
    const created = await rows.nth(2).locator("td").nth(4).textContent()
    expect(created).toContain(`Site URL: ${DEMO_SITE}`)
    expect(created).toContain("Credential: Demo Jira bot")
    expect(await page.locator("main").textContent()).not.toMatch(/∅|JIRA_CONFIG|baseUrl|credentialId/)
    await inspect(page, "manage-audit-log", seen)
  })

  it("met no console error, no failed request and no serious axe finding, in both schemes", () => {
    expect(seen.consoleErrors).toEqual([])
    expect(seen.findings.filter((f) => f.impact === "serious" || f.impact === "critical")).toEqual([])
    expect([...seen.audited].sort()).toEqual(
      ["manage-credentials", "manage-jira-states", "viewer-api-tokens", "manage-audit-log"]
        .flatMap((s) => [s, `${s} (dark)`])
        .sort()
    )
  })
})
