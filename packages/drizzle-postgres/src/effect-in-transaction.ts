import { Cause, type Context, Effect, Exit, Option } from "effect"

/**
 * Runs `effect` inside a transaction body: its typed failure aborts the transaction with that error, a defect
 * rolls it back. Used where a unit of work must commit only if a call outside the database succeeded.
 */
export const runEffectInTransaction = async <E>(
  context: Context.Context<never>,
  effect: Effect.Effect<void, E>,
  abort: (error: E) => never
): Promise<void> => {
  const exit = await Effect.runPromiseExitWith(context)(effect)
  if (Exit.isFailure(exit)) {
    const failure = Cause.findErrorOption(exit.cause)
    if (Option.isSome(failure)) abort(failure.value)
    throw Cause.squash(exit.cause)
  }
}
