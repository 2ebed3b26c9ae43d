import { createHash } from "node:crypto"
import type { StoreUnavailable } from "@sciple/jira-core"
import type { Effect } from "effect"

/**
 * The sign-in throttle's port (adr/0022). An attempt is reserved before the password is checked: the pair of
 * account and client first (tight), then the account and the client alone (looser), so an attacker is slowed
 * without locking the real person, who signs in from elsewhere, out of their account.
 */
export interface ThrottleKeys {
  readonly pair: string
  readonly account: string
  readonly client: string
}

export interface ThrottlePolicy {
  readonly windowMs: number
  readonly pairLimit: number
  readonly accountLimit: number
  readonly clientLimit: number
}

export const DEFAULT_POLICY: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  pairLimit: 5,
  accountLimit: 25,
  clientLimit: 100
}

export type Reservation = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

export interface LoginThrottleShape {
  /** Counts this attempt against every key, in one atomic step; refused when any key is past its limit. */
  readonly reserve: (keys: ThrottleKeys, now: Date) => Effect.Effect<Reservation, StoreUnavailable>
  /** A success: the pair starts afresh and the attempt is given back to the account and the client. */
  readonly succeeded: (keys: ThrottleKeys) => Effect.Effect<void, StoreUnavailable>
}

/** The keys of one attempt; the email is hashed so the table holds no address book. */
export const throttleKeys = (email: string, clientAddress: string): ThrottleKeys => {
  const account = createHash("sha256").update(email.trim().toLowerCase()).digest("base64url")
  return { pair: `pair:${account}|${clientAddress}`, account: `account:${account}`, client: `client:${clientAddress}` }
}

/** Seconds until the latest of the refused keys' windows ends, at least 1. */
export const retryAfterSeconds = (expiries: ReadonlyArray<Date>, now: Date): number =>
  Math.max(1, Math.ceil(Math.max(...expiries.map((at) => at.getTime() - now.getTime())) / 1000))
