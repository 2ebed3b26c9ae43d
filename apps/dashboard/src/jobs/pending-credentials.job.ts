import { reconcilePendingCredentials } from "@sciple/jira-core"
import { Duration, Effect, Layer, Schedule } from "effect"

/** How often the reconciliation of interrupted credential creates runs (adr/0028). */
const RECONCILE_EVERY = Duration.minutes(5)

/**
 * One run now and one every `RECONCILE_EVERY`; a failed run is logged and the next one tries again. Every
 * instance runs it: settling is one unit of work per record, so two instances settling the same record agree.
 * @internal exported for its tests
 */
export const reconcileForever = reconcilePendingCredentials().pipe(
  Effect.catch((error) =>
    Effect.logWarning("the reconciliation of pending credential creates failed").pipe(
      Effect.annotateLogs({ reason: error._tag })
    )
  ),
  Effect.repeat(Schedule.spaced(RECONCILE_EVERY))
)

/** Runs the reconciliation for as long as the app's runtime lives. */
export const PendingCredentialsJob = Layer.effectDiscard(Effect.forkScoped(reconcileForever))
