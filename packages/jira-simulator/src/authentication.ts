import type { SimAccount } from "./types.ts"

/** Who a request speaks as, and how its credential fared. */
export type Caller =
  | { readonly kind: "account"; readonly account: SimAccount }
  /** `failed`: a credential was sent and refused (wrong, revoked, unknown email); Jira then serves it as anonymous. */
  | { readonly kind: "anonymous"; readonly failed: boolean }

export type Credential =
  | { readonly kind: "none" }
  | { readonly kind: "failed" }
  | { readonly kind: "account"; readonly account: SimAccount; readonly expired: boolean }

const parseBasicAuth = (header: string | null): { email: string; token: string } | null => {
  if (header === null) return null
  const match = /^Basic\s+(\S+)$/i.exec(header.trim())
  if (match?.[1] === undefined) return null
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon < 0 ? null : { email: decoded.slice(0, colon), token: decoded.slice(colon + 1) }
}

/** Matches the Basic credential against the accounts; an expired token is reported, not refused, here. */
export const identify = (request: Request, accounts: ReadonlyArray<SimAccount>, now: number): Credential => {
  const header = request.headers.get("authorization")
  if (header === null) return { kind: "none" }
  const credentials = parseBasicAuth(header)
  if (credentials === null) return { kind: "failed" }
  const account = accounts.find(
    (a) => a.email.toLowerCase() === credentials.email.toLowerCase() && a.apiToken === credentials.token
  )
  if (account === undefined || account.revoked === true) return { kind: "failed" }
  const expired = account.expiresAt !== undefined && Date.parse(account.expiresAt) <= now
  return { kind: "account", account, expired }
}

export const isScoped = (account: SimAccount): boolean => account.scopes !== undefined

/** Whether the token holds every scope of one of the operation's scope sets. */
export const holdsScopes = (account: SimAccount, scopeSets: ReadonlyArray<ReadonlyArray<string>>): boolean => {
  const held = new Set(account.scopes ?? [])
  return scopeSets.some((set) => set.every((scope) => held.has(scope)))
}

/** The caller an endpoint sees: an expired classic token is a failed credential like any other. */
export const callerOf = (credential: Credential): Caller =>
  credential.kind === "account" && !credential.expired
    ? { kind: "account", account: credential.account }
    : { kind: "anonymous", failed: credential.kind !== "none" }
