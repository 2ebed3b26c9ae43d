import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { CredentialId, SecretRef, SecretStore, WorkspaceId } from "@sciple/jira-core"
import { Effect, Fiber, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { setupServer } from "msw/node"
import { type SecretStoreAwsConfig, throttleSchedule } from "../src/secret-store.aws.ts"
import {
  makeSecretsManagerEmulator,
  type SecretsManagerFault,
  type SecretsManagerOperation,
  secretStoreAwsTestLayer
} from "../src/testing/index.ts"

const emulator = makeSecretsManagerEmulator({ region: "eu-west-1" })
const server = setupServer(...emulator.handlers)

beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterEach(() => emulator.reset())
afterAll(() => server.close())

const owner = { workspaceId: WorkspaceId.make("ws-1"), credentialId: CredentialId.make("cred-1") }
const NAME = "sciple/jira/workspaces/ws-1/credentials/cred-1"

const withStore = <A, E>(
  body: (store: SecretStore["Service"]) => Effect.Effect<A, E>,
  config: Partial<SecretStoreAwsConfig> = {}
) => SecretStore.use(body).pipe(Effect.provide(secretStoreAwsTestLayer(emulator, config)))

const attempts = (operation: SecretsManagerOperation) =>
  emulator.requests.filter((r) => r.operation === operation).length

describe("SecretStoreAws under throttling", () => {
  it.live("retries a throttled call and succeeds", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner, Redacted.make("t"))
        emulator.injectFault("throttling", { operation: "GetSecretValue", times: 3 })
        expect(Redacted.value(yield* store.get(ref))).toBe("t")
        expect(attempts("GetSecretValue")).toBe(4)
      })
    )
  )

  it.live("treats 429 TooManyRequests as throttling too", () =>
    withStore((store) =>
      Effect.gen(function* () {
        emulator.injectFault("too_many_requests", { operation: "CreateSecret", times: 2 })
        yield* store.put(owner, Redacted.make("t"))
        expect(attempts("CreateSecret")).toBe(3)
        expect(emulator.secrets.get(NAME)?.value).toBe("t")
      })
    )
  )

  it.live("gives up after a bounded number of attempts with a typed throttled error", () =>
    withStore(
      (store) =>
        Effect.gen(function* () {
          emulator.injectFault("throttling")
          const error = yield* store.put(owner, Redacted.make("t")).pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "throttled" })
          expect(error.message).toBe("Secret store error: the secret store is throttling requests.")
          expect(attempts("CreateSecret")).toBe(3)
        }),
      { retry: { maxRetries: 2 } }
    )
  )

  it.effect("backs off exponentially with jitter, capped, for a bounded number of retries", () =>
    Effect.gen(function* () {
      let calls = 0
      const fiber = yield* Effect.sync(() => calls++).pipe(
        Effect.andThen(Effect.fail("throttled" as const)),
        Effect.retry(throttleSchedule({ baseDelay: "1 second", maxDelay: "5 seconds", maxRetries: 4 })),
        Effect.flip,
        Effect.forkChild
      )
      // Waits are 1, 2, 4, then 5 s (8 s capped) seconds, each ±20 %: at least 10.6 s, at most 13.4 s.
      yield* TestClock.adjust("10 seconds")
      expect(calls).toBe(4)
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("3500 millis")
      expect(yield* Fiber.join(fiber)).toBe("throttled")
      expect(calls).toBe(5)
    })
  )
})

type Op = "put" | "get" | "rotate" | "delete"
const OPERATION: Record<Op, SecretsManagerOperation> = {
  put: "CreateSecret",
  get: "GetSecretValue",
  rotate: "PutSecretValue",
  delete: "DeleteSecret"
}
const run = (store: SecretStore["Service"], op: Op, ref: SecretRef) =>
  op === "put"
    ? store.put(owner, Redacted.make("new"))
    : op === "get"
      ? store.get(ref)
      : op === "rotate"
        ? store.rotate(ref, Redacted.make("new"))
        : store.delete(ref)

const cases: ReadonlyArray<{ fault: SecretsManagerFault; reason: "access_denied" | "unavailable" }> = [
  { fault: "access_denied", reason: "access_denied" },
  { fault: "unrecognized_client", reason: "access_denied" },
  { fault: "kms_access_denied", reason: "access_denied" },
  { fault: "internal_error", reason: "unavailable" },
  { fault: "http_503", reason: "unavailable" },
  { fault: "network", reason: "unavailable" }
]

describe("SecretStoreAws failure mapping", () => {
  for (const op of ["put", "get", "rotate", "delete"] as const) {
    for (const { fault, reason } of cases) {
      it.live(`${op}: ${fault} → SecretStoreError ${reason}, not retried`, () =>
        withStore((store) =>
          Effect.gen(function* () {
            const ref = yield* store.put(owner, Redacted.make("old"))
            emulator.injectFault(fault, { operation: OPERATION[op] })
            const before = attempts(OPERATION[op])
            const error = yield* run(store, op, ref).pipe(Effect.flip)
            expect(error).toMatchObject({ _tag: "SecretStoreError", reason })
            if (error._tag === "SecretStoreError") expect(error.detail).toContain(OPERATION[op])
            expect(attempts(OPERATION[op]) - before).toBe(1)
            emulator.clearFaults()
            // The failed call changed nothing.
            expect(emulator.secrets.get(NAME)).toMatchObject({ value: "old", deletedAt: null })
          })
        )
      )
    }
  }

  it.live("a request that outlives the timeout → unavailable", () =>
    withStore(
      (store) =>
        Effect.gen(function* () {
          emulator.injectFault("slow", { operation: "GetSecretValue", slowMs: 3_000 })
          const started = Date.now()
          const error = yield* store.get(SecretRef.make(NAME)).pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "unavailable" })
          if (error._tag === "SecretStoreError") expect(error.detail).toContain("TimeoutError")
          expect(Date.now() - started).toBeLessThan(2_000)
        }),
      { requestTimeout: "200 millis" }
    )
  )

  it.live("an access error while reusing a scheduled-for-deletion name is typed too", () =>
    withStore((store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner, Redacted.make("old"))
        yield* store.delete(ref)
        emulator.injectFault("access_denied", { operation: "RestoreSecret" })
        const error = yield* store.put(owner, Redacted.make("new")).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "SecretStoreError", reason: "access_denied" })
        expect(emulator.secrets.get(NAME)?.deletedAt).not.toBeNull()
      })
    )
  )
})
