import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
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
import { KEY_FILE_NAME } from "../src/encryption-key.local.ts"
import * as SecretStoreLocal from "../src/secret-store.local.ts"

/**
 * A sentinel token goes through core's credential use cases (and their failure paths) with the local store;
 * it must show up nowhere: not in logs, errors, spans, metadata rows, and not in the store's own files
 * (which hold it only encrypted).
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), "local-secrets-leak-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe("the API token never leaks (encrypted local store)", () => {
  it.live("create, use, rotate, delete and their failures", () => {
    const sentinel = `SENTINEL-${randomUUID()}`
    const rotatedSentinel = `${sentinel}-ROTATED`
    const dir = path.join(root, "secrets")
    const recorder = makeLeakRecorder()
    const { logs, errors, spans, step } = recorder
    const fileSnapshots: Array<Buffer> = []
    const configStore = makeInMemoryConfigStore()
    const admin = anAdmin()
    const layer = Layer.mergeAll(
      configStore.layer,
      SecretStoreLocal.layer({ dir }),
      makeSequentialIds("leak"),
      recorder.layer
    )
    const snapshotFiles = Effect.sync(() => {
      for (const name of fs.readdirSync(dir)) fileSnapshots.push(fs.readFileSync(path.join(dir, name)))
    })
    return Effect.gen(function* () {
      const token = Redacted.make(sentinel)
      const created = yield* step(asManager(admin)(createCredential({ name: "Bot", username: "bot@acme.test", token })))
      if (!Exit.isSuccess(created)) throw new Error("create failed")
      const credential = created.value
      yield* snapshotFiles

      const used = yield* SecretStore.use((secrets) => secrets.get(credential.secretRef))
      expect(Redacted.value(used)).toBe(sentinel)
      yield* Effect.logDebug("using the credential", used, credential)

      yield* step(asManager(admin)(rotateCredentialToken(credential.id, Redacted.make(rotatedSentinel))))
      yield* snapshotFiles

      // Failure paths: invalid input, a metadata store failure (the secret is removed again), a broken file.
      yield* step(
        asManager(admin)(
          createCredential({ name: "Bad", username: "b@acme.test", token: Redacted.make(`${sentinel} x`) })
        )
      )
      configStore.faults.failNext("createCredential", new StoreUnavailable({ reason: "db down" }))
      yield* step(asManager(admin)(createCredential({ name: "Orphan", username: "o@acme.test", token })))
      const file = SecretStoreLocal.fileOf(dir, credential.secretRef) ?? ""
      const good = fs.readFileSync(file)
      const text = good.toString("utf8")
      const at = text.indexOf('"tag":"') + '"tag":"'.length
      fs.writeFileSync(file, `${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`)
      yield* step(SecretStore.use((secrets) => secrets.get(credential.secretRef)))
      fs.writeFileSync(file, good)

      yield* step(asManager(admin)(deleteCredential(credential.id)))
      yield* step(SecretStore.use((secrets) => secrets.get(credential.secretRef)))
      yield* step(asManager(admin)(rotateCredentialToken(credential.id, token)))
      yield* snapshotFiles
    }).pipe(
      Effect.provide(layer),
      Effect.andThen(
        Effect.sync(() => {
          const spanText = recorder.spanText()
          expect(errors.length).toBeGreaterThan(10)
          expect(spans.map((span) => span.name)).toContain("SecretStoreLocal.put")
          expect(fileSnapshots.length).toBeGreaterThanOrEqual(4)

          for (const [what, text] of [
            ["log lines", logs.join("\n")],
            ["errors", errors.join("\n")],
            ["config store rows", serialize(configStore.state)],
            ["spans", spanText]
          ] as const) {
            expect({ what, leaks: text.includes(sentinel) }).toEqual({ what, leaks: false })
          }
          for (const bytes of fileSnapshots) {
            for (const encoding of ["utf8", "base64", "base64url", "hex"] as const) {
              expect(bytes.includes(Buffer.from(sentinel).toString(encoding))).toBe(false)
            }
          }
          // Deleted, and the orphan of the failed create removed again: only the key is left.
          expect(fs.readdirSync(dir)).toEqual([KEY_FILE_NAME])
        })
      )
    )
  })
})
