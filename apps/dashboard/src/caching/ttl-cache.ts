import { Clock, Effect } from "effect"

/**
 * How long a store read or a rendered page is served from memory. Change notices drop entries the moment a
 * write commits, on every instance; the TTL only bounds what a missed notice can cost (the listening
 * connection was down, see the drizzle package), so it stays short: 5 s.
 */
export const CACHE_TTL_MS = 5_000

export interface TtlCacheOptions<V> {
  readonly ttlMs: number
  /** Entries kept at most; the least recently stored go first. */
  readonly maxEntries: number
  /** With `weigh`, the total weight kept at most (e.g. bytes of rendered pages). */
  readonly maxWeight?: number
  readonly weigh?: (value: V) => number
}

interface Entry<V> {
  readonly value: V
  readonly expiresAt: number
  readonly weight: number
}

/**
 * A bounded map of entries that expire. Every drop moves its generation on: a value read from the store
 * before a drop and stored after it would bring back what the drop removed, so `set` refuses it.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>()
  private generation = 0
  private weight = 0

  constructor(readonly options: TtlCacheOptions<V>) {}

  get size() {
    return this.entries.size
  }

  get totalWeight() {
    return this.weight
  }

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt > now) return entry.value
    this.remove(key, entry)
    return undefined
  }

  /** Taken before reading the store; `set` stores the value read only if nothing was dropped since. */
  mark(): number {
    return this.generation
  }

  set(key: string, value: V, now: number, mark: number, expiresAt = now + this.options.ttlMs): void {
    if (mark !== this.generation || expiresAt <= now) return
    const weight = this.options.weigh?.(value) ?? 0
    if (this.options.maxWeight !== undefined && weight > this.options.maxWeight) return
    const previous = this.entries.get(key)
    if (previous !== undefined) this.remove(key, previous)
    this.entries.set(key, { value, expiresAt, weight })
    this.weight += weight
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && !this.overweight()) break
      this.remove(oldest, entry)
    }
  }

  delete(key: string): void {
    this.generation++
    const entry = this.entries.get(key)
    if (entry !== undefined) this.remove(key, entry)
  }

  deleteWhere(predicate: (value: V, key: string) => boolean): void {
    this.generation++
    for (const [key, entry] of this.entries) if (predicate(entry.value, key)) this.remove(key, entry)
  }

  clear(): void {
    this.generation++
    this.entries.clear()
    this.weight = 0
  }

  private overweight() {
    return this.options.maxWeight !== undefined && this.weight > this.options.maxWeight
  }

  private remove(key: string, entry: Entry<V>) {
    this.entries.delete(key)
    this.weight -= entry.weight
  }
}

/**
 * Serves `key` from `cache`, else runs `load()` and keeps its value when `keep` says so (never a failure,
 * which stays in the error channel). The entry lives the TTL from when the read began, or less (`until`).
 */
export const readThrough = <V, K extends V, E, R>(
  cache: TtlCache<K>,
  key: string,
  load: () => Effect.Effect<V, E, R>,
  keep: (value: V) => value is K,
  until?: (value: K) => number
): Effect.Effect<V, E, R> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const hit = cache.get(key, now)
    if (hit !== undefined) return hit
    const mark = cache.mark()
    const value = yield* load()
    if (keep(value)) {
      const expiresAt = Math.min(now + cache.options.ttlMs, until?.(value) ?? Number.POSITIVE_INFINITY)
      cache.set(key, value, yield* Clock.currentTimeMillis, mark, expiresAt)
    }
    return value
  })

/** `keep` for reads answering null when there is nothing: "not found" is never kept. */
export const isPresent = <A>(value: A | null): value is A => value !== null

/** `keep` for reads whose absence is a failure: every value is kept. */
export const always = <A>(_value: A): _value is A => true
