import type { AvatarImage, Fetched, JiraConnection, JiraError } from "@sciple/jira-core"
import { Clock, Effect } from "effect"

/** Avatars kept in memory at most, and their bytes in all (48 px avatars are a few kilobytes each). */
const MAX_AVATARS = 1000
const MAX_AVATAR_CACHE_BYTES = 16 * 1024 * 1024

interface Entry {
  readonly expiresAt: number
  readonly value: Fetched<AvatarImage>
}

/**
 * Avatars in this process's memory only, bounded by count and bytes, for the Jira answers' TTL: pictures are
 * bytes the shared tier's JSON rows are not for, and a miss only costs one small request. Failures are not
 * kept; the oldest entries go first.
 */
export const makeAvatarCache = (ttlMs: number) => {
  const entries = new Map<string, Entry>()
  let bytes = 0
  const drop = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    bytes -= entry.value.value.bytes.byteLength
  }
  const store = (key: string, value: Fetched<AvatarImage>, now: number) => {
    drop(key)
    entries.set(key, { expiresAt: now + ttlMs, value })
    bytes += value.value.bytes.byteLength
    for (const oldest of entries.keys()) {
      if (entries.size <= MAX_AVATARS && bytes <= MAX_AVATAR_CACHE_BYTES) break
      drop(oldest)
    }
  }
  return (
    connection: JiraConnection,
    url: string,
    fetch: Effect.Effect<Fetched<AvatarImage>, JiraError>
  ): Effect.Effect<Fetched<AvatarImage>, JiraError> =>
    Effect.gen(function* () {
      const key = [connection.site, connection.email, connection.cacheKey, url].join("\u001f")
      const now = yield* Clock.currentTimeMillis
      const entry = entries.get(key)
      if (entry !== undefined && entry.expiresAt > now) return entry.value
      drop(key)
      const value = yield* fetch
      store(key, value, yield* Clock.currentTimeMillis)
      return value
    })
}
