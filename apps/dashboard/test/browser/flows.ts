import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import type { Page } from "playwright-core"
import { ADMIN } from "./app-under-test.ts"

/** What a person does on the way to a page under test, step by step as in the browser: shared by the suite's files. */

/** Signs in through the sign-in form and waits for home. */
export const signIn = async (page: Page, who: { readonly email: string; readonly password: string }) => {
  await page.goto("/login")
  const login = page.locator('form[action="/login"]')
  await login.locator('input[name="email"]').fill(who.email)
  await login.locator('input[name="password"]').fill(who.password)
  await login.getByRole("button", { name: "Sign in" }).click()
  await page.waitForURL((url) => url.pathname === "/")
}

/** Adds a credential on Manage › Credentials. */
export const addCredential = async (
  page: Page,
  credential: { readonly name: string; readonly email: string; readonly token: string }
) => {
  await page.goto("/manage/credentials")
  const form = page.locator('form[action="/manage/credentials"]')
  await form.locator('input[name="name"]').fill(credential.name)
  await form.locator('input[name="username"]').fill(credential.email)
  await form.locator('input[name="token"]').fill(credential.token)
  await form.getByRole("button", { name: "Add credential" }).click()
  await page.waitForURL((url) => url.searchParams.get("done") === "created")
}

/** Fills Manage › Integrations › Jira for the demo site and saves it, after a passing Test connection if asked. */
export const saveDemoConnection = async (
  page: Page,
  options: { readonly credential: string; readonly defaultJql?: string; readonly testFirst?: boolean }
) => {
  await page.goto("/manage/integrations/jira")
  const form = page.locator("#jira-form")
  await form.locator('input[name="name"]').fill("Demo Jira")
  await form.locator('input[name="baseUrl"]').fill(DEMO_SITE)
  await form
    .locator('select[name="credentialId"]')
    .selectOption({ label: `${options.credential} (${DEMO_ACCOUNT.email})` })
  if (options.defaultJql !== undefined) await form.locator('textarea[name="defaultJql"]').fill(options.defaultJql)
  if (options.testFirst === true) {
    await form.getByRole("button", { name: "Test connection" }).click()
    await page.locator("#test-result .badge-ok").waitFor()
  }
  await form.getByRole("button", { name: "Save", exact: true }).click()
  await page.waitForURL((url) => url.searchParams.get("done") === "saved")
}

/** The admin signs in, adds the demo account's token as "Demo Jira bot" and connects the demo site. */
export const connectDemoJira = async (
  page: Page,
  options: { readonly defaultJql?: string; readonly testFirst?: boolean } = {}
) => {
  await signIn(page, ADMIN)
  await addCredential(page, { name: "Demo Jira bot", email: DEMO_ACCOUNT.email, token: DEMO_ACCOUNT.apiToken })
  await saveDemoConnection(page, { credential: "Demo Jira bot", ...options })
}
