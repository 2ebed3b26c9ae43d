import type { SimAccount } from "./types.ts"

/**
 * The `Authorization` header value for a Jira API-token credential.
 * @internal not used by production code: for tests and test support
 */
export const basicAuthHeader = (account: Pick<SimAccount, "email" | "apiToken">): string =>
  `Basic ${Buffer.from(`${account.email}:${account.apiToken}`, "utf8").toString("base64")}`
