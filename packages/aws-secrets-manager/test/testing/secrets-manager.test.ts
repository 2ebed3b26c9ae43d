import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { setupServer } from "msw/node"
import { makeSecretsManagerApi } from "../../src/secrets-manager.client.ts"
import { FAKE_AWS_CREDENTIALS, makeSecretsManagerEmulator } from "../../src/testing/secrets-manager/index.ts"

const emulator = makeSecretsManagerEmulator({ region: "eu-west-1" })
const server = setupServer(...emulator.handlers)

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => emulator.reset())
afterAll(() => server.close())

const api = (credentials: { accessKeyId: string; secretAccessKey: string } = FAKE_AWS_CREDENTIALS) =>
  makeSecretsManagerApi({
    region: "eu-west-1",
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: Redacted.make(credentials.secretAccessKey) },
    requestTimeout: Duration.seconds(2)
  })

const rawPost = (headers: Record<string, string>) =>
  fetch(`${emulator.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
      ...headers
    },
    body: JSON.stringify({ SecretId: "anything" })
  })

describe("Secrets Manager emulator", () => {
  it.live("rejects unsigned and malformed requests like AWS does", () =>
    Effect.promise(async () => {
      const unsigned = await rawPost({})
      expect(unsigned.status).toBe(400)
      expect(unsigned.headers.get("content-type")).toBe("application/x-amz-json-1.1")
      expect(await unsigned.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" })
      const malformed = await rawPost({ authorization: "Bearer abc", "x-amz-date": "20260101T000000Z" })
      expect(await malformed.json()).toMatchObject({ __type: "IncompleteSignatureException" })
      const forged = await rawPost({
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
        "x-amz-date": "20260101T000000Z"
      })
      expect(await forged.json()).toMatchObject({ __type: "InvalidSignatureException" })
      expect(emulator.secrets.size).toBe(0)
    })
  )

  it.live("verifies the SigV4 signature of the real SDK against the secret key", () =>
    Effect.gen(function* () {
      const good = yield* api()
      yield* good.createSecret({ name: "a/b", value: Redacted.make("v"), description: "d", kmsKeyId: null, tags: [] })
      const wrongSecret = yield* api({ accessKeyId: FAKE_AWS_CREDENTIALS.accessKeyId, secretAccessKey: "not-it" })
      expect(yield* wrongSecret.getSecretValue("a/b").pipe(Effect.flip)).toMatchObject({
        code: "InvalidSignatureException",
        status: 400,
        fault: "client"
      })
      const unknownKey = yield* api({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" })
      expect((yield* unknownKey.getSecretValue("a/b").pipe(Effect.flip)).code).toBe("UnrecognizedClientException")
    }).pipe(Effect.scoped)
  )

  it.live("keeps deletion-scheduling semantics", () =>
    Effect.gen(function* () {
      const client = yield* api()
      const create = client.createSecret({
        name: "app/one",
        value: Redacted.make("v1"),
        description: "d",
        kmsKeyId: null,
        tags: [{ key: "k", value: "v" }]
      })
      const created = yield* create
      expect(created.arn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:app\/one-[0-9a-f]{6}$/)
      expect((yield* create.pipe(Effect.flip)).code).toBe("ResourceExistsException")

      yield* client.deleteSecret("app/one", { recoveryWindowInDays: 7 })
      const onGet = yield* client.getSecretValue("app/one").pipe(Effect.flip)
      expect(onGet).toMatchObject({ code: "InvalidRequestException" })
      expect(onGet.detail).toContain("marked for deletion")
      expect((yield* create.pipe(Effect.flip)).code).toBe("InvalidRequestException")
      expect((yield* client.putSecretValue("app/one", Redacted.make("x")).pipe(Effect.flip)).code).toBe(
        "InvalidRequestException"
      )
      expect((yield* client.deleteSecret("app/one", { recoveryWindowInDays: 7 }).pipe(Effect.flip)).code).toBe(
        "InvalidRequestException"
      )
      const described = yield* client.describeSecret("app/one")
      // Epoch-second timestamps come back as Dates through the SDK.
      expect(described.deletedDate).toBeInstanceOf(Date)
      expect(Math.abs((described.deletedDate?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000)
      expect(described.tags).toEqual([{ key: "k", value: "v" }])

      yield* client.restoreSecret(created.arn)
      expect(Redacted.value((yield* client.getSecretValue("app/one")) ?? Redacted.make(""))).toBe("v1")

      yield* client.deleteSecret("app/one", "force")
      expect((yield* client.getSecretValue("app/one").pipe(Effect.flip)).code).toBe("ResourceNotFoundException")
      yield* create
    }).pipe(Effect.scoped)
  )

  it.live("records requests and applies faults to the chosen operation a set number of times", () =>
    Effect.gen(function* () {
      const client = yield* api()
      emulator.injectFault("throttling", { operation: "GetSecretValue", times: 2 })
      yield* client.createSecret({ name: "n", value: Redacted.make("v"), description: "d", kmsKeyId: null, tags: [] })
      expect((yield* client.getSecretValue("n").pipe(Effect.flip)).code).toBe("ThrottlingException")
      expect((yield* client.getSecretValue("n").pipe(Effect.flip)).code).toBe("ThrottlingException")
      yield* client.getSecretValue("n")
      expect(emulator.requests.map((r) => r.errorType ?? r.status)).toEqual([
        200,
        "ThrottlingException",
        "ThrottlingException",
        200
      ])
      expect(JSON.parse(emulator.requests[0]?.body ?? "{}")).toMatchObject({ Name: "n", SecretString: "v" })
    }).pipe(Effect.scoped)
  )
})
