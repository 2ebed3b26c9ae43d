import { Duration, Effect } from "effect"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { SecretStore } from "../ports/SecretStore.ts"
import { now } from "./support.ts"

/** A create still pending after this is not in flight any more: it was interrupted (adr/0028). */
/** @public how old a pending record must be before reconciliation settles it */
export const PENDING_CREDENTIAL_AGE = Duration.minutes(15)
/** At most this many records a run, so one run stays short whatever piled up. */
/** @public how many pending records one reconciliation run settles at most */
export const PENDING_CREDENTIALS_PER_RUN = 100

/** @public what one reconciliation run did */
export interface ReconcileSummary {
  /** The credential exists: only the record went. */
  readonly kept: number
  /** No credential: its secret and the record went. */
  readonly removed: number
  /** Left for the next run (the secret store or the database failed). */
  readonly failed: number
}

/**
 * Settles credential creates that were interrupted before they could settle themselves (a crash, a lost
 * connection): for each pending record older than `PENDING_CREDENTIAL_AGE`, keeps the secret if the credential
 * row exists, else deletes the secret, then drops the record. A system job: no person's permission is needed.
 * One log line per record, naming ids and never the secret.
 */
export const reconcilePendingCredentials = Effect.fn("reconcilePendingCredentials")(function* () {
  const store = yield* ConfigStore
  const secrets = yield* SecretStore
  const at = yield* now
  const pending = yield* store.listPendingCredentials(
    new Date(at.getTime() - Duration.toMillis(PENDING_CREDENTIAL_AGE)),
    PENDING_CREDENTIALS_PER_RUN
  )
  const summary = { kept: 0, removed: 0, failed: 0 }
  for (const record of pending) {
    const result = yield* store
      .settlePendingCredential(record.workspaceId, record.credentialId, secrets.delete(record.secretRef))
      .pipe(Effect.result)
    const outcome = result._tag === "Failure" ? "failed" : result.success === null ? "removed" : "kept"
    summary[outcome]++
    const ids = { workspaceId: record.workspaceId, credentialId: record.credentialId, outcome }
    yield* result._tag === "Failure"
      ? Effect.logWarning("pending credential create not settled").pipe(
          Effect.annotateLogs({ ...ids, reason: result.failure._tag })
        )
      : Effect.logInfo("pending credential create settled").pipe(Effect.annotateLogs(ids))
  }
  return summary satisfies ReconcileSummary
})
