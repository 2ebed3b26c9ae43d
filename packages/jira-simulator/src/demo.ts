import type { SimAccount } from "./types.ts"

/** The simulated site the demo and the tests use. */
export const DEMO_SITE = "https://demo.atlassian.net"

/** The demo's Jira credential: an account that sees every project and is assignee of some issues. */
export const DEMO_ACCOUNT = {
  email: "jira-bot@demo.test",
  apiToken: "demo-jira-token",
  accountId: "712020:0d5b8c1e-3f4a-4b6c-9d2e-7a1b2c3d4e5f",
  displayName: "Demo Bot",
  emailAddress: "jira-bot@demo.test",
  accountType: "atlassian",
  timeZone: "Asia/Singapore",
  locale: "en_US"
} as const satisfies SimAccount

/**
 * A second valid credential: German locale (localised status category names), email hidden by profile
 * visibility (`/myself` answers `"emailAddress": null`), and permission to browse only three projects.
 */
export const DEMO_ACCOUNT_RESTRICTED = {
  email: "anna.schmidt@demo.test",
  apiToken: "demo-restricted-token",
  accountId: "712020:4c3b2a19-8e7f-4d6c-a5b4-3c2d1e0f9a8b",
  displayName: "Anna Schmidt",
  emailAddress: null,
  accountType: "atlassian",
  timeZone: "Europe/Berlin",
  locale: "de_DE",
  projects: ["DEMO", "OPS", "MKT"]
} as const satisfies SimAccount

/**
 * The demo bot's scoped API token (Atlassian's recommended kind): refused on the site URL, accepted through the
 * gateway `https://api.atlassian.com/ex/jira/{cloudId}` for operations its classic scopes cover.
 */
export const DEMO_ACCOUNT_SCOPED = {
  ...DEMO_ACCOUNT,
  apiToken: "demo-scoped-token",
  scopes: ["read:jira-work", "read:jira-user"],
  expiresAt: "2027-12-01T00:00:00.000Z"
} as const satisfies SimAccount

export const DEMO_ACCOUNTS: ReadonlyArray<SimAccount> = [DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED, DEMO_ACCOUNT_SCOPED]
