import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { CredentialId, SecretRef, SecretStore, WorkspaceId } from "@sciple/jira-core"
import { secretStoreContract } from "@sciple/jira-core/contracts"
import { Effect, Redacted } from "effect"
import { keyFromEnvironment } from "../src/encryption-key.local.ts"
import * as SecretStoreLocal from "../src/secret-store.local.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "local-secrets-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let dirs = 0
const freshDir = () => path.join(root, `store-${++dirs}`)
const aKey = () => Redacted.make(randomBytes(32).toString("base64"))

secretStoreContract("encrypted local files, key file", () => SecretStoreLocal.layer({ dir: freshDir() }))
secretStoreContract("encrypted local files, key from the environment", () =>
  SecretStoreLocal.layer({ dir: freshDir(), key: aKey() })
)

const owner = (credential = "cred-1") => ({
  workspaceId: WorkspaceId.make("ws-1"),
  credentialId: CredentialId.make(credential)
})

const withStore = <A, E>(
  options: SecretStoreLocal.SecretStoreLocalOptions,
  body: (store: SecretStore["Service"]) => Effect.Effect<A, E>
) => SecretStore.use(body).pipe(Effect.provide(SecretStoreLocal.layer(options)))

const secretFiles = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith(".secret"))
const fileOf = (dir: string, ref: string) => SecretStoreLocal.fileOf(dir, ref) ?? ""

/** Rewrites one field of a stored envelope. */
const tamper = (file: string, field: string, change: (bytes: Buffer) => Buffer) => {
  const envelope = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>
  envelope[field] = change(Buffer.from(envelope[field] ?? "", "base64")).toString("base64")
  fs.writeFileSync(file, JSON.stringify(envelope))
}
const flipFirstBit = (bytes: Buffer) => {
  const copy = Buffer.from(bytes)
  copy[0] = (copy[0] ?? 0) ^ 0x01
  return copy
}

const expectIntegrity = (error: unknown, detail: string) =>
  expect(error).toMatchObject({
    _tag: "SecretStoreError",
    reason: "integrity",
    detail: expect.stringContaining(detail)
  })

describe("SecretStoreLocal", () => {
  it.live("round-trips a value and names the file after workspace and credential", () => {
    const dir = freshDir()
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        const value = `tøken "with" \\ unicode ✓ ${"x".repeat(2000)}`
        const ref = yield* store.put(owner(), Redacted.make(value))
        expect(ref).toBe("local:ws-1/cred-1")
        expect(Redacted.value(yield* store.get(ref))).toBe(value)
        expect(secretFiles(dir)).toEqual(["ws-1.cred-1.secret"])
      })
    )
  })

  it.live("stores ciphertext only, owner-only, with a fresh nonce per write and no temp files left", () => {
    const dir = freshDir()
    const sentinel = `SENTINEL-${randomBytes(8).toString("hex")}`
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner(), Redacted.make(sentinel))
        const first = fs.readFileSync(fileOf(dir, ref), "utf8")
        yield* store.rotate(ref, Redacted.make(sentinel))
        const second = fs.readFileSync(fileOf(dir, ref), "utf8")
        expect(JSON.parse(first).nonce).not.toBe(JSON.parse(second).nonce)
        expect(JSON.parse(first).ciphertext).not.toBe(JSON.parse(second).ciphertext)
        for (const name of fs.readdirSync(dir)) {
          const bytes = fs.readFileSync(path.join(dir, name))
          for (const encoding of ["utf8", "base64", "hex", "base64url"] as const) {
            expect(bytes.includes(Buffer.from(sentinel).toString(encoding))).toBe(false)
          }
          expect(bytes.includes(Buffer.from(sentinel, "utf16le"))).toBe(false)
        }
        expect(fs.statSync(fileOf(dir, ref)).mode & 0o777).toBe(0o600)
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
        expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([])
      })
    )
  })

  it.live("a wrong key → integrity error, never garbage", () => {
    const dir = freshDir()
    return Effect.gen(function* () {
      const ref = yield* withStore({ dir, key: aKey() }, (store) => store.put(owner(), Redacted.make("t")))
      const error = yield* withStore({ dir, key: aKey() }, (store) => store.get(ref)).pipe(Effect.flip)
      expectIntegrity(error, "different key")
      expect(error.message).toBe(
        "Secret store error: a stored secret failed its integrity check (wrong key or tampering)."
      )
    })
  })

  it.live("a wrong key with a forged key id → integrity error", () => {
    const dir = freshDir()
    const otherKey = aKey()
    return Effect.gen(function* () {
      const ref = yield* withStore({ dir, key: aKey() }, (store) => store.put(owner(), Redacted.make("t")))
      // Claim the other key encrypted it: the GCM tag still refuses.
      const { id } = yield* keyFromEnvironment(otherKey)
      const file = fileOf(dir, ref)
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/"kid":"[0-9a-f]+"/, `"kid":"${id}"`))
      const error = yield* withStore({ dir, key: otherKey }, (store) => store.get(ref)).pipe(Effect.flip)
      expectIntegrity(error, "failed authentication")
    })
  })

  for (const field of ["ciphertext", "tag", "nonce"] as const) {
    it.live(`a flipped ${field} bit → integrity error`, () => {
      const dir = freshDir()
      return withStore({ dir }, (store) =>
        Effect.gen(function* () {
          const ref = yield* store.put(owner(), Redacted.make("secret-value"))
          tamper(fileOf(dir, ref), field, flipFirstBit)
          expectIntegrity(yield* store.get(ref).pipe(Effect.flip), "failed authentication")
        })
      )
    })
  }

  it.live("a truncated or garbled file → integrity error", () => {
    const dir = freshDir()
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner(), Redacted.make("secret-value"))
        const file = fileOf(dir, ref)
        const text = fs.readFileSync(file, "utf8")
        fs.writeFileSync(file, text.slice(0, text.length / 2))
        expectIntegrity(yield* store.get(ref).pipe(Effect.flip), "not a readable envelope")
        fs.writeFileSync(file, text.replace(/"tag":"[^"]+"/, '"tag":"AAAA"'))
        expectIntegrity(yield* store.get(ref).pipe(Effect.flip), "malformed nonce or tag")
      })
    )
  })

  it.live("a ciphertext moved to another ref → integrity error", () => {
    const dir = freshDir()
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        const a = yield* store.put(owner("cred-a"), Redacted.make("token-a"))
        const b = yield* store.put(owner("cred-b"), Redacted.make("token-b"))
        const fileA = fileOf(dir, a)
        const fileB = fileOf(dir, b)
        const textA = fs.readFileSync(fileA)
        fs.writeFileSync(fileA, fs.readFileSync(fileB))
        fs.writeFileSync(fileB, textA)
        expectIntegrity(yield* store.get(a).pipe(Effect.flip), "moved from another secret")
        expectIntegrity(yield* store.get(b).pipe(Effect.flip), "moved from another secret")
      })
    )
  })

  it.live("refs it never handed out name no file: not found, and deleting them is a no-op", () => {
    const dir = freshDir()
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        for (const raw of ["local:../x/y", "../../etc/passwd", "local:ws-1/cred-1/../../x", "memory:ws-1/cred-1"]) {
          const ref = SecretRef.make(raw)
          expect((yield* store.get(ref).pipe(Effect.flip))._tag).toBe("SecretNotFound")
          expect((yield* store.rotate(ref, Redacted.make("x")).pipe(Effect.flip))._tag).toBe("SecretNotFound")
          yield* store.delete(ref)
        }
        expect(fs.readdirSync(dir)).toEqual(["master.key"])
      })
    )
  })

  it.live("a file system failure → a typed error", () => {
    const dir = freshDir()
    return withStore({ dir }, (store) =>
      Effect.gen(function* () {
        const ref = yield* store.put(owner(), Redacted.make("t"))
        // root reads anything whatever its mode: a folder where the file should be fails for root too.
        fs.rmSync(fileOf(dir, ref))
        fs.mkdirSync(fileOf(dir, ref))
        const error = yield* store.get(ref).pipe(Effect.flip)
        expect(error).toMatchObject({
          _tag: "SecretStoreError",
          reason: "unavailable",
          detail: "get: file system error EISDIR"
        })
      })
    )
  })
})
