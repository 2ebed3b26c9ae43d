import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger, Redacted } from "effect"
import { PendingCredential } from "../../src/domain/credential.ts"
import { CredentialId } from "../../src/domain/ids.ts"
import { SecretStoreError } from "../../src/errors.ts"
import { aCredential, anAudit } from "../../src/testing/fixtures.ts"
import { aTestWorld, aUserId, aWorkspaceId } from "../../src/testing/mothers.ts"
import { PENDING_CREDENTIALS_PER_RUN, reconcilePendingCredentials } from "../../src/usecases/pending-credentials.ts"

const workspaceId = aWorkspaceId()
const OLD = new Date(-20 * 60_000)

/** An interrupted create of `n`: its secret written, its pending record `createdAt` old. */
const interrupted = (world: ReturnType<typeof aTestWorld>, n: number, createdAt = OLD) =>
  Effect.gen(function* () {
    const owner = { workspaceId, credentialId: CredentialId.make(`cred-${n}`) }
    const secretRef = yield* world.secrets.store.put(owner, Redacted.make(`token-value-${n}`))
    yield* world.config.store.recordPendingCredential(new PendingCredential({ ...owner, secretRef, createdAt }))
    return owner
  })

describe("reconcilePendingCredentials", () => {
  it.effect("removes the secret of a create that never wrote its row, keeps that of one that did", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      yield* interrupted(world, 1)
      const written = yield* interrupted(world, 2)
      const credential = aCredential(workspaceId, aUserId(), { id: written.credentialId })
      // The row landed but the record was recorded again after it (a repeat that was then interrupted).
      world.config.state.credentials.set(credential.id, credential)
      world.config.state.audit.push(anAudit(workspaceId, aUserId(), "CREDENTIAL_CREATED"))
      yield* interrupted(world, 3, new Date(0))
      const logs: Array<string> = []
      const summary = yield* reconcilePendingCredentials().pipe(
        Effect.provide(world.layer),
        Effect.provide(Logger.layer([Logger.make((options) => logs.push(Logger.formatLogFmt.log(options)))]))
      )
      expect(summary).toEqual({ kept: 1, removed: 1, failed: 0 })
      expect([...world.secrets.secrets.keys()].sort()).toEqual([
        world.secrets.store.refFor(written),
        world.secrets.store.refFor({ workspaceId, credentialId: CredentialId.make("cred-3") })
      ])
      // The recent one (now - 0 is under 15 minutes) is left to its create.
      expect([...world.config.state.pending.values()].map((p) => p.credentialId)).toEqual(["cred-3"])
      expect(logs).toHaveLength(2)
      expect(logs.join("\n")).toContain("credentialId=cred-1")
      expect(logs.join("\n")).toContain("outcome=removed")
      expect(logs.join("\n")).not.toContain("token-value")
    })
  )

  it.effect("settles at most 100 a run, and leaves a record whose secret cannot be deleted", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      for (let n = 0; n < PENDING_CREDENTIALS_PER_RUN + 5; n++) yield* interrupted(world, n)
      world.secrets.faults.failNext("delete", new SecretStoreError({ reason: "unavailable", detail: "down" }))
      const first = yield* reconcilePendingCredentials().pipe(Effect.provide(world.layer))
      expect(first).toEqual({ kept: 0, removed: 99, failed: 1 })
      expect(world.config.state.pending.size).toBe(6)
      const second = yield* reconcilePendingCredentials().pipe(Effect.provide(world.layer))
      expect(second).toEqual({ kept: 0, removed: 6, failed: 0 })
      expect(world.secrets.secrets.size).toBe(0)
    })
  )
})
