import { expect, type Vitest } from "@effect/vitest"
import { Effect } from "effect"
import { Credential, PendingCredential } from "../domain/credential.ts"
import { CredentialId, SecretRef, type WorkspaceId } from "../domain/ids.ts"
import { SecretStoreError } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { aCredential, anAudit, uniqueId } from "../testing/fixtures.ts"
import type { SeedWorkspace } from "./seed-workspace.ts"

const FAR_FUTURE = new Date("2100-01-01T00:00:00.000Z")

/** A pending create of `credentialId` (a new id unless given), at `createdAt`. */
const aPending = (workspaceId: WorkspaceId, createdAt: Date, credentialId = CredentialId.make(uniqueId("pending"))) =>
  new PendingCredential({
    workspaceId,
    credentialId,
    secretRef: SecretRef.make(`ref/${workspaceId}/${credentialId}`),
    createdAt
  })

/** The ConfigStore contract's cases for pending credential records (adr/0028), run inside its layer. */
export const pendingCredentialCases = <R>(
  it: Vitest.MethodsNonLive<ConfigStore | R>,
  seedWorkspace: SeedWorkspace<R>
) => {
  it.effect("records pending creates once and lists those older than a time, oldest first, bounded", () =>
    Effect.gen(function* () {
      const store = yield* ConfigStore
      const { workspaceId } = yield* seedWorkspace
      // Dates no other test uses, so a shared database's other records do not come first.
      const at = (second: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, second))
      const [a, b, c] = [aPending(workspaceId, at(1)), aPending(workspaceId, at(2)), aPending(workspaceId, at(3))]
      yield* store.recordPendingCredential(c!)
      yield* store.recordPendingCredential(a!)
      yield* store.recordPendingCredential(b!)
      yield* store.recordPendingCredential(new PendingCredential({ ...a!, createdAt: at(9) }))
      const mine = (list: ReadonlyArray<PendingCredential>) => list.filter((p) => p.workspaceId === workspaceId)
      expect(mine(yield* store.listPendingCredentials(new Date(Date.UTC(2001, 0, 1, 0, 0, 2, 500)), 10))).toEqual([
        a,
        b
      ])
      expect(yield* store.listPendingCredentials(new Date(Date.UTC(2001, 0, 2)), 1)).toEqual([a])
      expect(mine(yield* store.listPendingCredentials(FAR_FUTURE, 1000))).toEqual([a, b, c])
      expect(yield* store.listPendingCredentials(new Date(Date.UTC(2001, 0, 1)), 10)).toEqual([])
    })
  )

  it.effect("removes a credential's pending record when it writes the credential, and answers a repeat", () =>
    Effect.gen(function* () {
      const store = yield* ConfigStore
      const { workspaceId, userId } = yield* seedWorkspace
      const credential = aCredential(workspaceId, userId)
      const other = aPending(workspaceId, new Date("2026-01-01T00:00:00.000Z"))
      yield* store.recordPendingCredential(aPending(workspaceId, credential.createdAt, credential.id))
      yield* store.recordPendingCredential(other)
      const audit = anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: credential.id })
      expect(yield* store.createCredential(credential, audit)).toBe("created")
      const pending = yield* store.listPendingCredentials(FAR_FUTURE, 1000)
      expect(pending.filter((p) => p.workspaceId === workspaceId)).toEqual([other])
      // A repeat (a pending record recorded again after the row) writes nothing but the record's removal.
      yield* store.recordPendingCredential(aPending(workspaceId, credential.createdAt, credential.id))
      const again = anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: credential.id })
      expect(yield* store.createCredential(new Credential({ ...credential, name: "Renamed" }), again)).toBe("exists")
      expect(yield* store.listCredentials(workspaceId)).toEqual([credential])
      expect(yield* store.listAudit(workspaceId, { limit: 10, before: null })).toHaveLength(1)
      const left = yield* store.listPendingCredentials(FAR_FUTURE, 1000)
      expect(left.filter((p) => p.workspaceId === workspaceId)).toEqual([other])
    })
  )

  it.effect("settles a pending create: keeps the secret of a written credential, else removes it", () =>
    Effect.gen(function* () {
      const store = yield* ConfigStore
      const { workspaceId, userId } = yield* seedWorkspace
      const credential = aCredential(workspaceId, userId)
      yield* store.recordPendingCredential(aPending(workspaceId, credential.createdAt, credential.id))
      // The commit landed (its answer may have been lost): settling keeps the secret.
      yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
      yield* store.recordPendingCredential(aPending(workspaceId, credential.createdAt, credential.id))
      let removals = 0
      const removeSecret = Effect.sync(() => {
        removals++
      })
      expect(yield* store.settlePendingCredential(workspaceId, credential.id, removeSecret)).toEqual(credential)
      expect(removals).toBe(0)

      const abandoned = aPending(workspaceId, credential.createdAt)
      yield* store.recordPendingCredential(abandoned)
      const down = yield* store
        .settlePendingCredential(
          workspaceId,
          abandoned.credentialId,
          Effect.fail(new SecretStoreError({ reason: "unavailable", detail: "down" }))
        )
        .pipe(Effect.flip)
      expect(down._tag).toBe("SecretStoreError")
      const kept = yield* store.listPendingCredentials(FAR_FUTURE, 1000)
      expect(kept.filter((p) => p.workspaceId === workspaceId)).toEqual([abandoned])
      expect(yield* store.settlePendingCredential(workspaceId, abandoned.credentialId, removeSecret)).toBeNull()
      expect(removals).toBe(1)
      const none = yield* store.listPendingCredentials(FAR_FUTURE, 1000)
      expect(none.filter((p) => p.workspaceId === workspaceId)).toEqual([])
      // Settling what is already settled is harmless: a missing secret's removal succeeds.
      expect(yield* store.settlePendingCredential(workspaceId, abandoned.credentialId, removeSecret)).toBeNull()
      expect(yield* store.listCredentials(workspaceId)).toEqual([credential])
    })
  )
}
