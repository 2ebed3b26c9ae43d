import { Effect, Layer } from "effect"
import { Ids } from "../ports/Ids.ts"

/** Predictable ids for tests: `id-1`, `id-2`, ... The counter lives with the layer value, across builds. */
export const makeSequentialIds = (prefix = "id") => {
  let n = 0
  return Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => `${prefix}-${++n}`) }))
}
