import { Change, DrizzleDatabase } from "@sciple/drizzle-postgres"
import { Context, Effect, Layer } from "effect"

export { Change }

export interface ChangeFeedShape {
  /** Calls `handler` synchronously with every change this instance hears of; returns how to stop. */
  readonly subscribe: (handler: (change: Change) => void) => () => void
  /**
   * Tells this instance's subscribers now. The caching decorators call it after their own writes, so the
   * instance that wrote never serves what it just changed, even before the database's notice comes back.
   */
  readonly publish: (change: Change) => void
}

const makeFeed = (): ChangeFeedShape => {
  const handlers = new Set<(change: Change) => void>()
  return {
    subscribe: (handler) => {
      handlers.add(handler)
      return () => {
        handlers.delete(handler)
      }
    },
    publish: (change) => {
      for (const handler of [...handlers]) handler(change)
    }
  }
}

/** What every in-memory cache of this instance listens to, to drop what a committed write changed. */
export class ChangeFeed extends Context.Service<ChangeFeed, ChangeFeedShape>()("@sciple/dashboard/ChangeFeed") {
  /** This instance's own writes only: for one instance over stores that send no notices (the in-memory fakes). */
  static readonly layerLocal = Layer.sync(ChangeFeed, makeFeed)

  /** This instance's writes and every change committed to the database, by any instance. */
  static readonly layerDatabase = Layer.effect(
    ChangeFeed,
    Effect.gen(function* () {
      const feed = makeFeed()
      yield* (yield* DrizzleDatabase).notices(feed.publish)
      return feed
    })
  )
}

/** Subscribes for the layer's lifetime. */
export const subscribeScoped = (feed: ChangeFeedShape, handler: (change: Change) => void) =>
  Effect.acquireRelease(
    Effect.sync(() => feed.subscribe(handler)),
    (unsubscribe) => Effect.sync(unsubscribe)
  )

/** Publishes `change` once `write` ends, whatever its outcome: a write whose COMMIT was lost may have committed. */
export const publishAfter =
  (feed: ChangeFeedShape, change: Change) =>
  <A, E, R>(write: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.ensuring(
      write,
      Effect.sync(() => feed.publish(change))
    )
