import { Effect, Layer } from "effect"
import { Ids } from "../ports/Ids.ts"

/** Predictable ids for tests: `id-1`, `id-2`, ... per layer build. */
export const IdsSequential = Layer.effect(
  Ids,
  Effect.sync(() => {
    let n = 0
    return Ids.of({ next: Effect.sync(() => `id-${++n}`) })
  })
)
