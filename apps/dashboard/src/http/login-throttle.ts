/**
 * Sign-in throttling per account and per client: after `limit` failures in `windowMs`, further attempts are
 * refused until the window passes. In memory per instance; with several instances each keeps its own count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Array<number>>()

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly maxKeys = 50_000
  ) {}

  private recent(key: string, now: number): Array<number> {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs)
    if (kept.length === 0) this.failures.delete(key)
    else this.failures.set(key, kept)
    return kept
  }

  /** Seconds until the next attempt is allowed for any of `keys`, or 0. */
  retryAfter(keys: ReadonlyArray<string>, now: number): number {
    let wait = 0
    for (const key of keys) {
      const times = this.recent(key, now)
      if (times.length >= this.limit) wait = Math.max(wait, Math.ceil(((times[0] ?? now) + this.windowMs - now) / 1000))
    }
    return wait
  }

  fail(keys: ReadonlyArray<string>, now: number): void {
    if (this.failures.size > this.maxKeys) this.failures.clear()
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now])
  }

  succeed(keys: ReadonlyArray<string>): void {
    for (const key of keys) this.failures.delete(key)
  }
}
