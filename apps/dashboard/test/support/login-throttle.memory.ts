import { Effect } from "effect"
import {
  DEFAULT_POLICY,
  type LoginThrottleShape,
  type Reservation,
  retryAfterSeconds,
  type ThrottlePolicy
} from "../../src/identity/login-throttle.ts"

/** The throttle's policy in memory, for the in-memory test app; the database adapter is tested over HTTP. */
export const makeLoginThrottleMemory = (policy: ThrottlePolicy = DEFAULT_POLICY): LoginThrottleShape => {
  const rows = new Map<string, { attempts: number; expiresAt: Date }>()
  const bump = (key: string, limit: number, now: Date) => {
    const row = rows.get(key)
    const next =
      row === undefined || row.expiresAt <= now
        ? { attempts: 1, expiresAt: new Date(now.getTime() + policy.windowMs) }
        : { attempts: Math.min(row.attempts + 1, limit + 1), expiresAt: row.expiresAt }
    rows.set(key, next)
    return { ...next, refused: next.attempts > limit }
  }
  return {
    reserve: (keys, now) =>
      Effect.sync((): Reservation => {
        const pair = bump(keys.pair, policy.pairLimit, now)
        const all = pair.refused
          ? [pair]
          : [pair, bump(keys.account, policy.accountLimit, now), bump(keys.client, policy.clientLimit, now)]
        const refused = all.filter((r) => r.refused)
        return refused.length === 0
          ? { allowed: true }
          : {
              allowed: false,
              retryAfterSeconds: retryAfterSeconds(
                refused.map((r) => r.expiresAt),
                now
              )
            }
      }),
    succeeded: (keys) =>
      Effect.sync(() => {
        rows.delete(keys.pair)
        for (const key of [keys.account, keys.client]) {
          const row = rows.get(key)
          if (row !== undefined) row.attempts = Math.max(0, row.attempts - 1)
        }
      })
  }
}
