import { AsyncLocalStorage } from "node:async_hooks"
import { Effect, type Tracer } from "effect"

/** The span of the request being answered, across the awaits of its handlers. */
export const requestSpans = new AsyncLocalStorage<Tracer.AnySpan>()

/**
 * Each route runs its effects in a runtime call of its own; this puts them under the request's span, so a
 * page view is one trace (and its log lines carry that trace's id).
 */
export const underRequestSpan = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const span = requestSpans.getStore()
  return span === undefined ? effect : Effect.withParentSpan(effect, span)
}
