import { Effect } from "effect"

/**
 * A switchboard for fakes: the next call(s) of a named operation fail with the given error.
 * Tests use it to drive every error path of the use cases without a real outage.
 */
export class Faults<Op extends string> {
  private readonly queued = new Map<Op, Array<unknown>>()

  /** Makes the next `times` calls of `op` fail with `error`. */
  failNext(op: Op, error: unknown, times = 1): void {
    const list = this.queued.get(op) ?? []
    for (let i = 0; i < times; i++) list.push(error)
    this.queued.set(op, list)
  }

  clear(): void {
    this.queued.clear()
  }

  /** Fails with the queued error for `op`, if any, before running `effect`. */
  guard<A, E, R>(op: Op, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.suspend(() => {
      const error = this.queued.get(op)?.shift()
      return error === undefined ? effect : Effect.fail(error as E)
    })
  }
}
