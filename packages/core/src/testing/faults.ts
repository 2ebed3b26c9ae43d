import { Effect } from "effect"

type Fault = { readonly kind: "fail" | "loseAnswer"; readonly error: unknown }

/**
 * A switchboard for fakes: the next call(s) of a named operation fail with the given error, before they run
 * (`failNext`) or after they ran (`loseNextAnswer`). Tests use it to drive every error path of the use cases
 * without a real outage.
 */
export class Faults<Op extends string> {
  private readonly queued = new Map<Op, Array<Fault>>()

  private queue(op: Op, fault: Fault, times: number): void {
    const list = this.queued.get(op) ?? []
    for (let i = 0; i < times; i++) list.push(fault)
    this.queued.set(op, list)
  }

  /** Makes the next `times` calls of `op` fail with `error`, without running. */
  failNext(op: Op, error: unknown, times = 1): void {
    this.queue(op, { kind: "fail", error }, times)
  }

  /**
   * Makes the next `times` calls of `op` run (a write commits) and then fail with `error`, as when the
   * database committed but its acknowledgement was lost on the way back.
   */
  loseNextAnswer(op: Op, error: unknown, times = 1): void {
    this.queue(op, { kind: "loseAnswer", error }, times)
  }

  clear(): void {
    this.queued.clear()
  }

  /** Applies the queued fault for `op`, if any, around `effect`. */
  guard<A, E, R>(op: Op, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.suspend(() => {
      const fault = this.queued.get(op)?.shift()
      if (fault === undefined) return effect
      const error = fault.error as E
      return fault.kind === "fail" ? Effect.fail(error) : Effect.andThen(effect, Effect.fail(error))
    })
  }
}
