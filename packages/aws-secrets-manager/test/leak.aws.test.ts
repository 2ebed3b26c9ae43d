import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  asManager,
  createCredential,
  deleteCredential,
  rotateCredentialToken,
  SecretStore,
  StoreUnavailable
} from "@sciple/jira-core"
import {
  anAdmin,
  makeInMemoryConfigStore,
  makeLeakRecorder,
  makeSequentialIds,
  serialize
} from "@sciple/jira-core/testing"
import { Effect, Exit, Layer, Redacted } from "effect"
import { setupServer } from "msw/node"
import { makeSecretsManagerEmulator, secretStoreAwsTestLayer } from "../src/testing/index.ts"

/**
 * A sentinel token goes through create, use, rotate and delete (and their failure paths) with the AWS
 * adapter; it must show up nowhere but inside Secrets Manager.
 */

const emulator = makeSecretsManagerEmulator({ region: "eu-west-1" })
const server = setupServer(...emulator.handlers)
const captured: Array<{ target: string; headers: string; body: string }> = []

beforeAll(() => {
  server.events.on("request:start", async ({ request }) => {
    const headers = JSON.stringify([...request.headers.entries()])
    captured.push({
      target: request.headers.get("x-amz-target") ?? request.url,
      headers,
      body: await request.clone().text()
    })
  })
  server.listen({ onUnhandledFrame: "error" })
})
afterAll(() => server.close())

describe("the API token never leaks (AWS Secrets Manager)", () => {
  it.live("create, use, rotate, delete and their failures", () => {
    const sentinel = `SENTINEL-${randomUUID()}`
    const rotatedSentinel = `${sentinel}-ROTATED`
    const recorder = makeLeakRecorder()
    const { logs, errors, spans, step } = recorder
    const configStore = makeInMemoryConfigStore()
    const admin = anAdmin()
    const layer = Layer.mergeAll(
      configStore.layer,
      secretStoreAwsTestLayer(emulator, { retry: { maxRetries: 2 } }),
      makeSequentialIds("leak"),
      recorder.layer
    )

    return Effect.gen(function* () {
      const token = Redacted.make(sentinel)
      const created = yield* step(asManager(admin)(createCredential({ name: "Bot", username: "bot@acme.test", token })))
      if (!Exit.isSuccess(created)) throw new Error("create failed")
      const credential = created.value

      // Use: the token comes back, Redacted.
      const used = yield* SecretStore.use((secrets) => secrets.get(credential.secretRef))
      expect(Redacted.value(used)).toBe(sentinel)
      yield* Effect.logDebug("using the credential", used, credential)
      yield* Effect.logInfo(token)

      yield* step(asManager(admin)(rotateCredentialToken(credential.id, Redacted.make(rotatedSentinel))))

      // Failure paths: invalid input, secret store faults, metadata store faults.
      yield* step(
        asManager(admin)(
          createCredential({ name: "Bad", username: "b@acme.test", token: Redacted.make(`${sentinel} x`) })
        )
      )
      emulator.injectFault("access_denied", { operation: "PutSecretValue", times: 1 })
      yield* step(asManager(admin)(rotateCredentialToken(credential.id, Redacted.make(sentinel))))
      emulator.injectFault("throttling", { operation: "GetSecretValue" })
      yield* step(SecretStore.use((secrets) => secrets.get(credential.secretRef)))
      emulator.clearFaults()
      emulator.injectFault("network", { operation: "CreateSecret", times: 1 })
      yield* step(asManager(admin)(createCredential({ name: "Down", username: "d@acme.test", token })))
      configStore.faults.failNext("createCredential", new StoreUnavailable({ reason: "db down" }))
      yield* step(asManager(admin)(createCredential({ name: "Orphan", username: "o@acme.test", token })))

      yield* step(asManager(admin)(deleteCredential(credential.id)))
      yield* step(SecretStore.use((secrets) => secrets.get(credential.secretRef)))
    }).pipe(
      Effect.provide(layer),
      Effect.andThen(
        Effect.sync(() => {
          const stored = serialize(configStore.state)
          const spanText = recorder.spanText()
          const otherRequests = captured.filter(
            (r) => r.target !== "secretsmanager.CreateSecret" && r.target !== "secretsmanager.PutSecretValue"
          )

          // The capture worked: there is something to search, and the token did reach Secrets Manager.
          expect(logs.some((line) => line.includes("throttled"))).toBe(true)
          expect(errors.length).toBeGreaterThan(10)
          expect(spans.map((span) => span.name)).toContain("SecretStoreAws.put")
          expect(captured.some((r) => r.body.includes(sentinel))).toBe(true)

          for (const [what, text] of [
            ["log lines", logs.join("\n")],
            ["errors", errors.join("\n")],
            ["config store rows", stored],
            ["spans", spanText],
            ["request headers", captured.map((r) => r.headers).join("\n")],
            ["other request bodies", otherRequests.map((r) => r.body).join("\n")]
          ] as const) {
            expect({ what, leaks: text.includes(sentinel) }).toEqual({ what, leaks: false })
          }
          // Inside the secret store it is where it belongs: the live secret was deleted, the orphan cleaned up.
          expect([...emulator.secrets.values()].every((secret) => secret.deletedAt !== null)).toBe(true)
        })
      )
    )
  })
})
