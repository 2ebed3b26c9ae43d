import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { CredentialId, SecretRef, SecretStore, WorkspaceId } from "@sciple/jira-core"
import { secretStoreContract } from "@sciple/jira-core/contracts"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { setupServer } from "msw/node"
import * as SecretStoreAws from "../src/secret-store.aws.ts"
import { makeSecretsManagerEmulator, secretStoreAwsTestLayer } from "../src/testing/index.ts"

const emulator = makeSecretsManagerEmulator({ region: "eu-west-1" })
const localstack = makeSecretsManagerEmulator({ region: "us-east-1", endpoint: "http://localhost:4566" })
const server = setupServer(...emulator.handlers, ...localstack.handlers)

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterAll(() => server.close())

secretStoreContract("AWS Secrets Manager (emulated)", () => secretStoreAwsTestLayer(emulator))
secretStoreContract("AWS Secrets Manager, force delete (emulated)", () =>
  secretStoreAwsTestLayer(emulator, { deletion: "force", prefix: "contract/force" })
)

const owner = {
  workspaceId: WorkspaceId.make("ws-acme"),
  credentialId: CredentialId.make("cred-42")
}
const NAME = "sciple/jira/workspaces/ws-acme/credentials/cred-42"

const withStore = <A, E>(
  body: (store: SecretStore["Service"]) => Effect.Effect<A, E>,
  config: Partial<SecretStoreAws.SecretStoreAwsConfig> = {}
) => SecretStore.use(body).pipe(Effect.provide(secretStoreAwsTestLayer(emulator, config)))

describe("SecretStoreAws", () => {
  afterEach(() => {
    emulator.reset()
    localstack.reset()
  })

  it.live("names the secret per workspace and credential, tags it, and uses the KMS key", () =>
    withStore(
      (store) =>
        Effect.gen(function* () {
          const ref = yield* store.put(owner, Redacted.make("token-1"))
          expect(ref).toBe(NAME)
          const stored = emulator.secrets.get(NAME)
          expect(stored?.value).toBe("token-1")
          expect(stored?.kmsKeyId).toBe("alias/sciple-secrets")
          expect(Object.fromEntries(stored?.tags ?? [])).toEqual({
            [SecretStoreAws.TAG_WORKSPACE_ID]: "ws-acme",
            [SecretStoreAws.TAG_CREDENTIAL_ID]: "cred-42"
          })
          expect(stored?.description).toContain("cred-42")
        }),
      { kmsKeyId: "alias/sciple-secrets" }
    )
  )

  it.live("takes a configurable prefix, trimmed of slashes", () =>
    withStore(
      (store) =>
        Effect.map(store.put(owner, Redacted.make("t")), (ref) =>
          expect(ref).toBe("acme/prod/workspaces/ws-acme/credentials/cred-42")
        ),
      { prefix: "/acme/prod/" }
    )
  )

  it.live("overwrites an existing secret of the same name and puts its tags back", () =>
    withStore((store) =>
      Effect.gen(function* () {
        yield* store.put(owner, Redacted.make("first"))
        emulator.secrets.get(NAME)?.tags.clear()
        const ref = yield* store.put(owner, Redacted.make("second"))
        expect(Redacted.value(yield* store.get(ref))).toBe("second")
        expect(emulator.secrets.get(NAME)?.tags.get(SecretStoreAws.TAG_CREDENTIAL_ID)).toBe("cred-42")
        expect(emulator.requests.map((r) => `${r.operation}:${r.errorType ?? r.status}`)).toEqual([
          "CreateSecret:200",
          "CreateSecret:ResourceExistsException",
          "DescribeSecret:200",
          "PutSecretValue:200",
          "TagResource:200",
          "GetSecretValue:200"
        ])
      })
    )
  )

  it.live("restores a secret scheduled for deletion before reusing its name", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner, Redacted.make("first"))
        yield* store.delete(ref)
        expect(emulator.secrets.get(NAME)?.deletedAt).not.toBeNull()
        expect((yield* store.get(ref).pipe(Effect.flip))._tag).toBe("SecretNotFound")
        yield* store.put(owner, Redacted.make("again"))
        expect(emulator.secrets.get(NAME)?.deletedAt).toBeNull()
        expect(Redacted.value(yield* store.get(ref))).toBe("again")
        expect(emulator.requests.map((r) => r.operation)).toContain("RestoreSecret")
      })
    )
  )

  it.live("deletes with the configured recovery window", () =>
    withStore(
      (store) =>
        Effect.gen(function* () {
          const ref = yield* store.put(owner, Redacted.make("t"))
          yield* store.delete(ref)
          const stored = emulator.secrets.get(NAME)
          const days = ((stored?.deletionDate?.getTime() ?? 0) - (stored?.deletedAt?.getTime() ?? 0)) / 86_400_000
          expect(days).toBe(7)
          expect(JSON.parse(emulator.requests.at(-1)?.body ?? "{}")).toEqual({
            SecretId: NAME,
            RecoveryWindowInDays: 7
          })
        }),
      { deletion: { recoveryWindowDays: 7 } }
    )
  )

  it.live("deletes without recovery when forced, and deleting a missing secret succeeds", () =>
    withStore(
      (store) =>
        Effect.gen(function* () {
          const ref = yield* store.put(owner, Redacted.make("t"))
          yield* store.delete(ref)
          expect(emulator.secrets.has(NAME)).toBe(false)
          yield* store.delete(ref)
          yield* store.delete(SecretRef.make("sciple/jira/workspaces/nope/credentials/never"))
          expect(emulator.requests.at(-1)?.errorType).toBe("ResourceNotFoundException")
        }),
      { deletion: "force" }
    )
  )

  it.live("deleting a secret already scheduled for deletion succeeds", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner, Redacted.make("t"))
        yield* store.delete(ref)
        yield* store.delete(ref)
        expect(emulator.requests.map((r) => `${r.operation}:${r.errorType ?? r.status}`).slice(-3)).toEqual([
          "DeleteSecret:200",
          "DeleteSecret:InvalidRequestException",
          "DescribeSecret:200"
        ])
      })
    )
  )

  it.live("reaches a custom endpoint (LocalStack, a VPC endpoint)", () =>
    Effect.gen(function* () {
      const store = yield* SecretStore
      const ref = yield* store.put(owner, Redacted.make("via-localstack"))
      expect(Redacted.value(yield* store.get(ref))).toBe("via-localstack")
      expect(localstack.secrets.get(NAME)?.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:/)
      expect(emulator.requests).toHaveLength(0)
    }).pipe(Effect.provide(secretStoreAwsTestLayer(localstack)))
  )

  it.live("refuses a secret that holds no string", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner, Redacted.make("t"))
        const stored = emulator.secrets.get(NAME)
        if (stored === undefined) throw new Error("not stored")
        // A binary-only secret: what another tool may have written under the same name.
        Object.assign(stored, { value: undefined })
        const error = yield* store.get(ref).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "integrity" })
      })
    )
  )
})

describe("SecretStoreAws configuration", () => {
  const build = (config: SecretStoreAws.SecretStoreAwsConfig) =>
    Layer.build(SecretStoreAws.layer(config)).pipe(Effect.scoped, Effect.flip)

  it.effect("rejects a bad region, prefix, endpoint or recovery window with a message naming the setting", () =>
    Effect.gen(function* () {
      expect((yield* build({ region: "Ireland" })).message).toContain("region")
      expect((yield* build({ region: "eu-west-1", prefix: "bad prefix!" })).message).toContain("prefix")
      expect((yield* build({ region: "eu-west-1", endpoint: "localhost:4566" })).message).toContain("endpoint")
      expect((yield* build({ region: "eu-west-1", deletion: { recoveryWindowDays: 3 } })).message).toContain("7 to 30")
      expect((yield* build({ region: "eu-west-1", deletion: { recoveryWindowDays: 31 } }))._tag).toBe(
        "SecretStoreAwsConfigError"
      )
    })
  )

  const fromEnv = (env: Record<string, string>) =>
    Layer.build(SecretStoreAws.layerConfig).pipe(
      Effect.scoped,
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
    )

  it.effect("reads its settings from the environment", () =>
    Effect.gen(function* () {
      yield* fromEnv({
        AWS_REGION: "eu-west-1",
        SECRETS_AWS_ENDPOINT: "http://localhost:4566",
        SECRETS_AWS_KMS_KEY_ID: "alias/x",
        SECRETS_AWS_PREFIX: "acme",
        SECRETS_AWS_RECOVERY_DAYS: "force"
      })
      yield* fromEnv({ AWS_DEFAULT_REGION: "eu-central-1", SECRETS_AWS_RECOVERY_DAYS: "14" })
      const missingRegion = yield* fromEnv({}).pipe(Effect.flip)
      expect(missingRegion._tag).toBe("ConfigError")
      const badDays = yield* fromEnv({ AWS_REGION: "eu-west-1", SECRETS_AWS_RECOVERY_DAYS: "soon" }).pipe(Effect.flip)
      expect(badDays.message).toContain("SECRETS_AWS_RECOVERY_DAYS")
      const outOfRange = yield* fromEnv({ AWS_REGION: "eu-west-1", SECRETS_AWS_RECOVERY_DAYS: "90" }).pipe(Effect.flip)
      expect(outOfRange.message).toContain("7 to 30")
    })
  )
})
