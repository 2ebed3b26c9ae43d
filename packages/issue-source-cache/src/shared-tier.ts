import type { StoreUnavailable } from "@sciple/jira-core"
import { Context, Effect } from "effect"

/** One Jira answer as the shared tier keeps it: JSON, with when it was fetched and until when it may be served. */
export interface SharedAnswer {
  /** The answer, encoded as JSON by the cache (the tier never interprets it). */
  readonly value: unknown
  /** Epoch ms. */
  readonly fetchedAt: number
  /** Epoch ms after which it is stale (served only while refreshing). */
  readonly expiresAt: number
  /** Epoch ms after which it is never served. */
  readonly staleUntil: number
}

/**
 * A tier of Jira answers shared by every instance of the app, behind each instance's in-process cache, and
 * the cluster-wide single flight over it: one instance claims a key and fetches, the others wait for its
 * answer. Keys are the cache's full keys (site, account, configuration and credential versions, request).
 * Times are the caller's clock in epoch ms. When it fails (StoreUnavailable), the cache carries on as if alone.
 */
export interface SharedTierShape {
  readonly get: (key: string, now: number) => Effect.Effect<SharedAnswer | null, StoreUnavailable>
  readonly put: (key: string, answer: SharedAnswer) => Effect.Effect<void, StoreUnavailable>
  /**
   * Claims the right to fetch `key` for `holdMs`: true when this holder has it (free, expired or already its own).
   * A claim whose holder died lapses after `holdMs`, so no one waits on it longer.
   */
  readonly claim: (key: string, holder: string, now: number, holdMs: number) => Effect.Effect<boolean, StoreUnavailable>
  /**
   * Gives a claim back (only the holder's own): another holder may take it from `until` (epoch ms) on. After a
   * stored answer, `until` is when it goes stale: an instance that read the tier before the answer landed and
   * claims after it finds the claim held and waits for the answer instead of fetching again. After a failure,
   * `until` is now: a waiter tries at once. The claim is marked, not removed, so a claim is never free between.
   */
  readonly release: (key: string, holder: string, until: number) => Effect.Effect<void, StoreUnavailable>
}

export class SharedTier extends Context.Service<SharedTier, SharedTierShape>()(
  "@sciple/issue-source-cache/SharedTier"
) {}

/**
 * The shared tier in this process's memory: for a single instance, the tests and the contract suite.
 * It holds at most `maxEntries` answers, the oldest fetched going first.
 */
export const makeSharedTierMemory = (options: { readonly maxEntries?: number } = {}) => {
  const maxEntries = options.maxEntries ?? 5000
  const answers = new Map<string, SharedAnswer>()
  const claims = new Map<string, { readonly holder: string; readonly expiresAt: number }>()
  const tier: SharedTierShape = {
    get: (key, now) =>
      Effect.sync(() => {
        const answer = answers.get(key)
        if (answer === undefined) return null
        if (answer.staleUntil <= now) {
          answers.delete(key)
          return null
        }
        return answer
      }),
    put: (key, answer) =>
      Effect.sync(() => {
        const current = answers.get(key)
        // A slower fetch finishing later must not replace a fresher answer.
        if (current !== undefined && current.fetchedAt > answer.fetchedAt) return
        answers.delete(key)
        answers.set(key, answer)
        while (answers.size > maxEntries) {
          let oldest: string | null = null
          let oldestAt = Number.POSITIVE_INFINITY
          for (const [k, a] of answers) {
            if (a.fetchedAt < oldestAt) {
              oldest = k
              oldestAt = a.fetchedAt
            }
          }
          if (oldest === null) break
          answers.delete(oldest)
          // Its claim may be kept until the answer goes stale: it would hold off a fetch of an answer gone.
          claims.delete(oldest)
        }
      }),
    claim: (key, holder, now, holdMs) =>
      Effect.sync(() => {
        const current = claims.get(key)
        if (current !== undefined && current.holder !== holder && current.expiresAt > now) return false
        claims.set(key, { holder, expiresAt: now + holdMs })
        return true
      }),
    release: (key, holder, until) =>
      Effect.sync(() => {
        if (claims.get(key)?.holder === holder) claims.set(key, { holder, expiresAt: until })
      })
  }
  return { tier, size: () => answers.size }
}
