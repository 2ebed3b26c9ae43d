import { Effect, Layer, Redacted } from "effect"
import { SecretRef } from "../domain/ids.ts"
import { SecretNotFound } from "../errors.ts"
import { type SecretOwner, SecretStore } from "../ports/SecretStore.ts"
import { Faults } from "./faults.ts"

export type SecretStoreOp = "put" | "get" | "rotate" | "delete"

/** The SecretStore fake: values in a Map, refs derived from the owner like the real stores do. */
export const makeInMemorySecretStore = () => {
  const secrets = new Map<SecretRef, Redacted.Redacted<string>>()
  const faults = new Faults<SecretStoreOp>()
  const refFor = (owner: SecretOwner) => SecretRef.make(`memory:${owner.workspaceId}/${owner.credentialId}`)
  const store = SecretStore.of({
    refFor,
    put: (owner, value) =>
      faults.guard(
        "put",
        Effect.sync(() => {
          const ref = refFor(owner)
          secrets.set(ref, Redacted.make(Redacted.value(value)))
          return ref
        })
      ),
    get: (ref) =>
      faults.guard(
        "get",
        Effect.suspend(() => {
          const value = secrets.get(ref)
          return value === undefined ? Effect.fail(new SecretNotFound({ ref })) : Effect.succeed(value)
        })
      ),
    rotate: (ref, value) =>
      faults.guard(
        "rotate",
        Effect.suspend(() => {
          if (!secrets.has(ref)) return Effect.fail(new SecretNotFound({ ref }))
          secrets.set(ref, Redacted.make(Redacted.value(value)))
          return Effect.void
        })
      ),
    delete: (ref) =>
      faults.guard(
        "delete",
        Effect.sync(() => void secrets.delete(ref))
      )
  })
  return { store, secrets, faults, layer: Layer.succeed(SecretStore, store) }
}

export const SecretStoreInMemory = Layer.effect(
  SecretStore,
  Effect.sync(() => makeInMemorySecretStore().store)
)
