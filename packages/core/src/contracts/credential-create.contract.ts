import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { asManager } from "../authorization.ts"
import type { WorkspaceId } from "../domain/ids.ts"
import { Principal, permissionsOf } from "../domain/permissions.ts"
import { SecretStoreError, StoreUnavailable } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { Ids } from "../ports/Ids.ts"
import { withConfigStoreFaults } from "../testing/config-store.faulty.ts"
import { uniqueId } from "../testing/fixtures.ts"
import { makeInMemorySecretStore } from "../testing/secret-store.in-memory.ts"
import { type CreateCredentialInput, createCredential } from "../usecases/credentials.ts"
import type { SeedWorkspace } from "./seed-workspace.ts"

const FAR_FUTURE = new Date("2100-01-01T00:00:00.000Z")
const lostAnswer = () => new StoreUnavailable({ reason: "the connection was lost before the commit was acknowledged" })
const anInput = (overrides: Partial<CreateCredentialInput> = {}): CreateCredentialInput => ({
  name: `Jira bot ${uniqueId("n")}`,
  username: "bot@example.test",
  token: Redacted.make(`tok-${uniqueId("t")}`),
  idempotencyKey: uniqueId("idempotency"),
  ...overrides
})

/**
 * The credential create (adr/0028) over a real ConfigStore: the store sits behind a fault switchboard (a lost
 * commit answer, a failed settle) and the secrets in the in-memory SecretStore, so a test counts rows, secrets,
 * audit events and pending records after each fault.
 */
export const credentialCreateContract = <R>(
  name: string,
  makeLayer: () => Layer.Layer<ConfigStore | R, unknown>,
  seedWorkspace: SeedWorkspace<R>
) =>
  describe(`credential create contract: ${name}`, () => {
    layer(makeLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
      /** A new workspace, its admin, and the use case over the store behind faults. */
      const setUp = Effect.gen(function* () {
        const { workspaceId, userId } = yield* seedWorkspace
        const underlying = yield* ConfigStore
        const { store, faults } = withConfigStoreFaults(underlying)
        const secrets = makeInMemorySecretStore()
        const admin = new Principal({ userId, workspaceId, permissions: [...permissionsOf("admin")] })
        const services = Layer.mergeAll(
          Layer.succeed(ConfigStore, store),
          secrets.layer,
          Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => uniqueId("id")) }))
        )
        const create = (input: CreateCredentialInput) =>
          createCredential(input).pipe(asManager(admin), Effect.provide(services))
        /** What the workspace holds: rows, secrets, creation events and pending records. */
        const counts = Effect.gen(function* () {
          const audit = yield* underlying.listAudit(workspaceId, { limit: 100, before: null })
          const pending = yield* underlying.listPendingCredentials(FAR_FUTURE, 1000)
          return {
            rows: (yield* underlying.listCredentials(workspaceId)).length,
            secrets: [...secrets.secrets.keys()].filter((ref) => ref.includes(workspaceId)).length,
            events: audit.filter((e) => e.action === "CREDENTIAL_CREATED").length,
            pending: pending.filter((p) => p.workspaceId === (workspaceId as WorkspaceId)).length
          }
        })
        return { create, counts, faults, secrets }
      })

      const oneOfEach = { rows: 1, secrets: 1, events: 1, pending: 0 }
      const nothing = { rows: 0, secrets: 0, events: 0, pending: 0 }

      it.effect("survives a lost commit answer: the create succeeds with one row, one secret, one event", () =>
        Effect.gen(function* () {
          const { create, counts, faults } = yield* setUp
          faults.loseNextAnswer("createCredential", lostAnswer())
          const input = anInput()
          const credential = yield* create(input)
          expect(credential.id).toBe(input.idempotencyKey)
          expect(yield* counts).toEqual(oneOfEach)
        })
      )

      it.effect("a lost answer whose settling fails too: the retry with the same key answers the same id", () =>
        Effect.gen(function* () {
          const { create, counts, faults, secrets } = yield* setUp
          faults.loseNextAnswer("createCredential", lostAnswer())
          faults.failNext("settlePendingCredential", lostAnswer())
          const input = anInput()
          const error = yield* create(input).pipe(Effect.flip)
          expect(error._tag).toBe("StoreUnavailable")
          // The commit landed, and with it the pending record's removal: only the answer is missing.
          expect(yield* counts).toEqual(oneOfEach)
          const retried = yield* create(input)
          expect(retried.id).toBe(input.idempotencyKey)
          expect(Redacted.value(secrets.secrets.get(retried.secretRef)!)).toBe(Redacted.value(input.token))
          expect(yield* counts).toEqual(oneOfEach)
        })
      )

      it.effect("five identical creates at once make one credential, one secret, one event", () =>
        Effect.gen(function* () {
          const { create, counts } = yield* setUp
          const input = anInput()
          const results = yield* Effect.all(
            Array.from({ length: 5 }, () => create(input)),
            { concurrency: "unbounded" }
          )
          expect(new Set(results.map((c) => c.id))).toEqual(new Set([input.idempotencyKey]))
          expect(yield* counts).toEqual(oneOfEach)
        })
      )

      it.effect("refuses the same key with other values, and changes nothing", () =>
        Effect.gen(function* () {
          const { create, counts, secrets } = yield* setUp
          const input = anInput()
          const first = yield* create(input)
          for (const other of [
            { ...input, name: `${input.name} 2` },
            { ...input, username: "other@example.test" },
            { ...input, token: Redacted.make("another-token") }
          ]) {
            const error = yield* create(other).pipe(Effect.flip)
            expect(error._tag === "InvalidInput" && error.fields[0]?.field).toBe("idempotencyKey")
            expect(error.message).not.toContain("another-token")
          }
          expect(Redacted.value(secrets.secrets.get(first.secretRef)!)).toBe(Redacted.value(input.token))
          expect(yield* counts).toEqual(oneOfEach)
        })
      )

      it.effect("leaves nothing behind when the secret store or the row write fails", () =>
        Effect.gen(function* () {
          const { create, counts, faults, secrets } = yield* setUp
          secrets.faults.failNext("put", new SecretStoreError({ reason: "unavailable", detail: "down" }))
          expect((yield* create(anInput()).pipe(Effect.flip))._tag).toBe("SecretStoreError")
          expect(yield* counts).toEqual(nothing)
          faults.failNext("createCredential", lostAnswer())
          expect((yield* create(anInput()).pipe(Effect.flip))._tag).toBe("StoreUnavailable")
          expect(yield* counts).toEqual(nothing)
        })
      )
    })
  })
