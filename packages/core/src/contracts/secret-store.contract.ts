import { describe, expect, layer } from "@effect/vitest"
import { Effect, type Layer, Redacted } from "effect"
import { CredentialId, SecretRef, WorkspaceId } from "../domain/ids.ts"
import { SecretStore } from "../ports/SecretStore.ts"
import { uniqueId } from "../testing/fixtures.ts"

const anOwner = () => ({
  workspaceId: WorkspaceId.make(uniqueId("ws")),
  credentialId: CredentialId.make(uniqueId("cred"))
})

/** What every SecretStore must do. */
export const secretStoreContract = (name: string, makeLayer: () => Layer.Layer<SecretStore, unknown>) =>
  describe(`SecretStore contract: ${name}`, () => {
    layer(makeLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
      it.effect("returns what was put, as Redacted, under a ref that does not contain it", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const value = `tok-${uniqueId("secret")}-ünï"\\`
          const ref = yield* secrets.put(anOwner(), Redacted.make(value))
          expect(ref).not.toContain(value)
          const got = yield* secrets.get(ref)
          expect(Redacted.isRedacted(got)).toBe(true)
          expect(Redacted.value(got)).toBe(value)
          expect(String(got)).not.toContain(value)
        })
      )

      it.effect("knows a secret's ref before it is written", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const owner = anOwner()
          const ref = secrets.refFor(owner)
          expect(secrets.refFor({ ...owner })).toBe(ref)
          expect(secrets.refFor(anOwner())).not.toBe(ref)
          expect(yield* secrets.put(owner, Redacted.make("x"))).toBe(ref)
          yield* secrets.delete(ref)
        })
      )

      it.effect("gives different owners different refs", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const a = yield* secrets.put(anOwner(), Redacted.make("a"))
          const b = yield* secrets.put(anOwner(), Redacted.make("b"))
          expect(a).not.toBe(b)
          expect(Redacted.value(yield* secrets.get(a))).toBe("a")
          expect(Redacted.value(yield* secrets.get(b))).toBe("b")
        })
      )

      it.effect("overwrites a leftover secret of the same owner", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const owner = anOwner()
          yield* secrets.put(owner, Redacted.make("first"))
          const ref = yield* secrets.put(owner, Redacted.make("second"))
          expect(Redacted.value(yield* secrets.get(ref))).toBe("second")
        })
      )

      it.effect("rotates a value in place", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const ref = yield* secrets.put(anOwner(), Redacted.make("old"))
          yield* secrets.rotate(ref, Redacted.make("new"))
          expect(Redacted.value(yield* secrets.get(ref))).toBe("new")
        })
      )

      it.effect("forgets a deleted secret, and deleting twice succeeds", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const ref = yield* secrets.put(anOwner(), Redacted.make("gone soon"))
          yield* secrets.delete(ref)
          const error = yield* secrets.get(ref).pipe(Effect.flip)
          expect(error._tag).toBe("SecretNotFound")
          yield* secrets.delete(ref)
        })
      )

      it.effect("answers SecretNotFound for an unknown ref, on get and rotate", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const ref = yield* secrets.put(anOwner(), Redacted.make("x"))
          yield* secrets.delete(ref)
          expect((yield* secrets.get(ref).pipe(Effect.flip))._tag).toBe("SecretNotFound")
          expect((yield* secrets.rotate(ref, Redacted.make("y")).pipe(Effect.flip))._tag).toBe("SecretNotFound")
        })
      )

      it.effect("never puts the value in an error", () =>
        Effect.gen(function* () {
          const secrets = yield* SecretStore
          const value = `sentinel-${uniqueId("v")}`
          const ref = yield* secrets.put(anOwner(), Redacted.make(value))
          yield* secrets.delete(ref)
          const error = yield* secrets.rotate(ref, Redacted.make(value)).pipe(Effect.flip)
          expect(`${error.message} ${JSON.stringify(error)} ${String(error)}`).not.toContain(value)
          expect(SecretRef.make(ref)).toBe(ref)
        })
      )
    })
  })
