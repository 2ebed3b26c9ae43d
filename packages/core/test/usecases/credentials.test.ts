import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { asManager } from "../../src/authorization.ts"
import { SecretStoreError, StoreUnavailable } from "../../src/errors.ts"
import { ConfigStore } from "../../src/ports/ConfigStore.ts"
import { anAdmin, aTestWorld, aViewer } from "../../src/testing/mothers.ts"
import {
  createCredential,
  deleteCredential,
  listCredentials,
  rotateCredentialToken
} from "../../src/usecases/credentials.ts"
import { connectJira } from "../../src/usecases/jira-config.ts"

const input = { name: " Jira bot ", username: "Bot@Acme.test", token: Redacted.make(" secret-token ") }

describe("createCredential", () => {
  it.effect("stores the token as a secret and the metadata with its audit event", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const credential = yield* createCredential(input).pipe(asManager(anAdmin()), Effect.provide(world.layer))
      expect(credential.name).toBe("Jira bot")
      expect(credential.username).toBe("bot@acme.test")
      expect(Redacted.value(world.secrets.secrets.get(credential.secretRef)!)).toBe("secret-token")
      expect(world.config.state.audit.map((e) => e.action)).toEqual(["CREDENTIAL_CREATED"])
      expect(JSON.stringify(world.config.state.audit)).not.toContain("secret-token")
      expect(JSON.stringify([...world.config.state.credentials.values()])).not.toContain("secret-token")
    })
  )

  it.effect("needs settings.manage", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const error = yield* createCredential(input).pipe(asManager(aViewer()), Effect.provide(world.layer), Effect.flip)
      expect(error._tag).toBe("NotPermitted")
      expect(world.secrets.secrets.size).toBe(0)
    })
  )

  it.effect("names every bad field, never the token", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const error = yield* createCredential({
        name: "",
        username: "not-an-email",
        token: Redacted.make("has space")
      }).pipe(asManager(anAdmin()), Effect.provide(world.layer), Effect.flip)
      expect(error._tag === "InvalidInput" && error.fields.map((f) => f.field)).toEqual(["name", "username", "token"])
      expect(error.message).not.toContain("has space")
      const empty = yield* createCredential({ ...input, token: Redacted.make("  ") }).pipe(
        asManager(anAdmin()),
        Effect.provide(world.layer),
        Effect.flip
      )
      expect(empty._tag === "InvalidInput" && empty.fields[0]?.message).toBe("API token is required.")
    })
  )

  it.effect("deletes the secret again when the metadata cannot be written", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      world.config.faults.failNext("createCredential", new StoreUnavailable({ reason: "connection lost" }))
      const error = yield* createCredential(input).pipe(asManager(anAdmin()), Effect.provide(world.layer), Effect.flip)
      expect(error._tag).toBe("StoreUnavailable")
      expect(world.secrets.secrets.size).toBe(0)
      expect(world.config.state.credentials.size).toBe(0)
    })
  )

  it.effect("writes nothing when the secret store fails", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      world.secrets.faults.failNext("put", new SecretStoreError({ reason: "throttled", detail: "slow down" }))
      const error = yield* createCredential(input).pipe(asManager(anAdmin()), Effect.provide(world.layer), Effect.flip)
      expect(error._tag).toBe("SecretStoreError")
      expect(world.config.state.credentials.size).toBe(0)
      expect(world.config.state.audit).toHaveLength(0)
    })
  )

  it.effect("refuses a duplicate name and leaves no orphan secret", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const run = createCredential(input).pipe(asManager(anAdmin()), Effect.provide(world.layer))
      yield* run
      const error = yield* Effect.flip(run)
      expect(error._tag).toBe("InvalidInput")
      expect(world.secrets.secrets.size).toBe(1)
    })
  )
})

describe("listCredentials / rotateCredentialToken / deleteCredential", () => {
  it.effect("lists, rotates (new version, audited) and deletes with the secret", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const admin = asManager(anAdmin())
      const credential = yield* createCredential(input).pipe(admin, Effect.provide(world.layer))
      expect((yield* listCredentials().pipe(admin, Effect.provide(world.layer))).map((c) => c.id)).toEqual([
        credential.id
      ])
      const rotated = yield* rotateCredentialToken(credential.id, Redacted.make("new-token")).pipe(
        admin,
        Effect.provide(world.layer)
      )
      expect(rotated.version).toBe(2)
      expect(Redacted.value(world.secrets.secrets.get(credential.secretRef)!)).toBe("new-token")
      yield* deleteCredential(credential.id).pipe(admin, Effect.provide(world.layer))
      expect(world.secrets.secrets.size).toBe(0)
      expect(world.config.state.audit.map((e) => e.action)).toEqual([
        "CREDENTIAL_CREATED",
        "CREDENTIAL_ROTATED",
        "CREDENTIAL_DELETED"
      ])
    })
  )

  it.effect("refuses to delete the credential the Jira connection uses, keeping its secret", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const admin = asManager(anAdmin())
      const credential = yield* createCredential({
        ...input,
        username: "bot@acme.test",
        token: Redacted.make("fake-api-token-0123456789")
      }).pipe(admin, Effect.provide(world.layer))
      yield* connectJira({ name: "J", baseUrl: "https://acme.atlassian.net", credentialId: credential.id }).pipe(
        admin,
        Effect.provide(world.layer)
      )
      const error = yield* deleteCredential(credential.id).pipe(admin, Effect.provide(world.layer), Effect.flip)
      expect(error._tag).toBe("CredentialInUse")
      expect(world.secrets.secrets.size).toBe(1)
    })
  )

  it.effect("a connect that lands between a delete's read and its write keeps its credential's secret", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const admin = asManager(anAdmin())
      const credential = yield* createCredential(input).pipe(admin, Effect.provide(world.layer))
      yield* connectJira({ name: "J", baseUrl: "https://acme.atlassian.net", credentialId: credential.id }).pipe(
        admin,
        Effect.provide(world.layer)
      )
      // Every read outside the delete's unit of work says "not connected", as it did just before the connect.
      const racing = Layer.succeed(ConfigStore, { ...world.config.store, getConfig: () => Effect.succeed(null) })
      const error = yield* deleteCredential(credential.id).pipe(
        admin,
        Effect.provide(Layer.merge(world.layer, racing)),
        Effect.flip
      )
      expect(error._tag).toBe("CredentialInUse")
      expect(Redacted.value(world.secrets.secrets.get(credential.secretRef)!)).toBe("secret-token")
      expect(world.config.state.credentials.size).toBe(1)
    })
  )

  it.effect("keeps the credential when the secret store fails on delete, so it can be retried", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const admin = asManager(anAdmin())
      const credential = yield* createCredential(input).pipe(admin, Effect.provide(world.layer))
      world.secrets.faults.failNext("delete", new SecretStoreError({ reason: "unavailable", detail: "down" }))
      expect((yield* deleteCredential(credential.id).pipe(admin, Effect.provide(world.layer), Effect.flip))._tag).toBe(
        "SecretStoreError"
      )
      expect(world.config.state.credentials.size).toBe(1)
      yield* deleteCredential(credential.id).pipe(admin, Effect.provide(world.layer))
      expect(world.config.state.credentials.size).toBe(0)
    })
  )

  it.effect("answers NotFound for another workspace's credential and InvalidInput for a malformed id", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const credential = yield* createCredential(input).pipe(asManager(anAdmin(1)), Effect.provide(world.layer))
      const other = yield* deleteCredential(credential.id).pipe(
        asManager(anAdmin(2)),
        Effect.provide(world.layer),
        Effect.flip
      )
      expect(other._tag).toBe("NotFound")
      const bad = yield* deleteCredential("../etc").pipe(asManager(anAdmin()), Effect.provide(world.layer), Effect.flip)
      expect(bad._tag).toBe("InvalidInput")
      const viewer = yield* listCredentials().pipe(asManager(aViewer()), Effect.provide(world.layer), Effect.flip)
      expect(viewer._tag).toBe("NotPermitted")
    })
  )
})
