import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  asManager,
  createCredential,
  deleteCredential,
  JiraConfig,
  JiraConfigId,
  rotateCredentialToken,
  SecretStore,
  SiteUrl,
  StoreUnavailable
} from "@sciple/jira-core"
import { anAdmin, makeInMemoryConfigStore, makeSequentialIds } from "@sciple/jira-core/testing"
import { Effect, Layer, Redacted } from "effect"
import { setupServer } from "msw/node"
import type { SecretStoreAwsConfig } from "../src/secret-store.aws.ts"
import { makeSecretsManagerEmulator, secretStoreAwsTestLayer } from "../src/testing/index.ts"

/** Core's credential use cases over the AWS adapter: no orphan secret, no orphan row, whichever store fails. */

const emulator = makeSecretsManagerEmulator({ region: "eu-west-1" })
const server = setupServer(...emulator.handlers)

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => emulator.reset())
afterAll(() => server.close())

const admin = anAdmin()
const TOKEN = "ATATT3xFfGF0-token-1"
const input = { name: "Jira bot", username: "Bot@Acme.test", token: Redacted.make(TOKEN) }

const aWorld = (config: Partial<SecretStoreAwsConfig> = {}) => {
  const configStore = makeInMemoryConfigStore()
  const layer = Layer.mergeAll(configStore.layer, secretStoreAwsTestLayer(emulator, config), makeSequentialIds())
  return { configStore, layer }
}

const liveSecrets = () => [...emulator.secrets.values()].filter((secret) => secret.deletedAt === null)
const storeDown = new StoreUnavailable({ reason: "connection refused" })

describe("credential use cases over AWS Secrets Manager", () => {
  it.live("create, use, rotate and delete keep the token in Secrets Manager and the metadata in the store", () => {
    const world = aWorld()
    return Effect.gen(function* () {
      const credential = yield* asManager(admin)(createCredential(input))
      expect(credential.secretRef).toBe(`sciple/jira/workspaces/${admin.workspaceId}/credentials/${credential.id}`)
      expect(world.configStore.state.credentials.get(credential.id)?.username).toBe("bot@acme.test")
      expect(emulator.secrets.get(credential.secretRef)?.value).toBe(TOKEN)

      const used = yield* SecretStore.use((secrets) => secrets.get(credential.secretRef))
      expect(Redacted.value(used)).toBe(TOKEN)

      const rotated = yield* asManager(admin)(rotateCredentialToken(credential.id, Redacted.make("rotated-token")))
      expect(rotated.version).toBe(2)
      expect(emulator.secrets.get(credential.secretRef)?.value).toBe("rotated-token")

      yield* asManager(admin)(deleteCredential(credential.id))
      expect(world.configStore.state.credentials.size).toBe(0)
      expect(liveSecrets()).toEqual([])
      expect(world.configStore.state.audit.map((event) => event.action)).toEqual([
        "CREDENTIAL_CREATED",
        "CREDENTIAL_ROTATED",
        "CREDENTIAL_DELETED"
      ])
    }).pipe(Effect.provide(world.layer))
  })

  describe("create", () => {
    it.live("the secret store fails → typed error, no row, no secret", () => {
      const world = aWorld()
      emulator.injectFault("access_denied", { operation: "CreateSecret" })
      return Effect.gen(function* () {
        const error = yield* asManager(admin)(createCredential(input)).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "access_denied" })
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(world.configStore.state.audit).toEqual([])
        expect(emulator.secrets.size).toBe(0)
      }).pipe(Effect.provide(world.layer))
    })

    it.live("Secrets Manager is down → typed error, no row, no secret", () => {
      const world = aWorld()
      emulator.injectFault("network", { operation: "CreateSecret" })
      return Effect.gen(function* () {
        const error = yield* asManager(admin)(createCredential(input)).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "unavailable" })
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(emulator.secrets.size).toBe(0)
      }).pipe(Effect.provide(world.layer))
    })

    it.live("the metadata store fails → the secret is deleted again", () => {
      const world = aWorld()
      world.configStore.faults.failNext("createCredential", storeDown)
      return Effect.gen(function* () {
        const error = yield* asManager(admin)(createCredential(input)).pipe(Effect.flip)
        expect(error._tag).toBe("StoreUnavailable")
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(emulator.secrets.size).toBe(1)
        expect(liveSecrets()).toEqual([])
      }).pipe(Effect.provide(world.layer))
    })

    it.live("the metadata store fails with force deletion → no secret at all", () => {
      const world = aWorld({ deletion: "force" })
      world.configStore.faults.failNext("audit", storeDown)
      return Effect.gen(function* () {
        yield* asManager(admin)(createCredential(input)).pipe(Effect.flip)
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(emulator.secrets.size).toBe(0)
      }).pipe(Effect.provide(world.layer))
    })

    it.live("the metadata store fails and the clean-up is throttled at first → still cleaned up", () => {
      const world = aWorld()
      world.configStore.faults.failNext("createCredential", storeDown)
      emulator.injectFault("throttling", { operation: "DeleteSecret", times: 2 })
      return Effect.gen(function* () {
        yield* asManager(admin)(createCredential(input)).pipe(Effect.flip)
        expect(liveSecrets()).toEqual([])
      }).pipe(Effect.provide(world.layer))
    })

    it.live("a duplicate name is refused and its secret removed", () => {
      const world = aWorld()
      return Effect.gen(function* () {
        yield* asManager(admin)(createCredential(input))
        const error = yield* asManager(admin)(createCredential({ ...input, name: "JIRA BOT" })).pipe(Effect.flip)
        expect(error._tag).toBe("InvalidInput")
        expect(world.configStore.state.credentials.size).toBe(1)
        expect(liveSecrets()).toHaveLength(1)
      }).pipe(Effect.provide(world.layer))
    })
  })

  describe("rotate", () => {
    it.live("the secret store fails → typed error, version and token unchanged", () => {
      const world = aWorld()
      return Effect.gen(function* () {
        const credential = yield* asManager(admin)(createCredential(input))
        emulator.injectFault("internal_error", { operation: "PutSecretValue" })
        const error = yield* asManager(admin)(rotateCredentialToken(credential.id, Redacted.make("new"))).pipe(
          Effect.flip
        )
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "unavailable" })
        expect(world.configStore.state.credentials.get(credential.id)?.version).toBe(1)
        expect(emulator.secrets.get(credential.secretRef)?.value).toBe(TOKEN)
      }).pipe(Effect.provide(world.layer))
    })
  })

  describe("delete", () => {
    it.live("the secret store fails → typed error, row and secret both kept; retrying completes", () => {
      const world = aWorld()
      return Effect.gen(function* () {
        const credential = yield* asManager(admin)(createCredential(input))
        emulator.injectFault("access_denied", { operation: "DeleteSecret" })
        const error = yield* asManager(admin)(deleteCredential(credential.id)).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "access_denied" })
        expect(world.configStore.state.credentials.has(credential.id)).toBe(true)
        expect(liveSecrets()).toHaveLength(1)

        emulator.clearFaults()
        yield* asManager(admin)(deleteCredential(credential.id))
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(liveSecrets()).toEqual([])
      }).pipe(Effect.provide(world.layer))
    })

    it.live("the metadata store fails → the row stays; retrying the delete removes it", () => {
      const world = aWorld()
      return Effect.gen(function* () {
        const credential = yield* asManager(admin)(createCredential(input))
        world.configStore.faults.failNext("deleteCredential", storeDown)
        const error = yield* asManager(admin)(deleteCredential(credential.id)).pipe(Effect.flip)
        expect(error._tag).toBe("StoreUnavailable")
        expect(world.configStore.state.credentials.has(credential.id)).toBe(true)

        // The secret is already scheduled for deletion; deleting it again succeeds, so the retry goes through.
        yield* asManager(admin)(deleteCredential(credential.id))
        expect(world.configStore.state.credentials.size).toBe(0)
        expect(liveSecrets()).toEqual([])
      }).pipe(Effect.provide(world.layer))
    })

    it.live("a credential the Jira connection uses is refused before its secret is touched", () => {
      const world = aWorld()
      return Effect.gen(function* () {
        const credential = yield* asManager(admin)(createCredential(input))
        const at = new Date("2026-01-01T00:00:00Z")
        world.configStore.state.configs.set(
          admin.workspaceId,
          new JiraConfig({
            id: JiraConfigId.make("cfg-1"),
            workspaceId: admin.workspaceId,
            name: "Acme Jira",
            baseUrl: SiteUrl.make("https://acme.atlassian.net"),
            credentialId: credential.id,
            defaultJql: "order by updated DESC",
            health: null,
            route: null,
            cloudId: null,
            version: 1,
            createdAt: at,
            updatedAt: at
          })
        )
        const requestsBefore = emulator.requests.length
        const error = yield* asManager(admin)(deleteCredential(credential.id)).pipe(Effect.flip)
        expect(error._tag).toBe("CredentialInUse")
        expect(emulator.requests.length).toBe(requestsBefore)
        expect(liveSecrets()).toHaveLength(1)
      }).pipe(Effect.provide(world.layer))
    })
  })
})
