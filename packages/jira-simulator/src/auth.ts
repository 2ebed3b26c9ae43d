import type { SimAccount } from "./types.ts"

/** The `Authorization` header value for a Jira API-token credential. */
export const basicAuthHeader = (account: Pick<SimAccount, "email" | "apiToken">): string =>
  `Basic ${Buffer.from(`${account.email}:${account.apiToken}`, "utf8").toString("base64")}`
