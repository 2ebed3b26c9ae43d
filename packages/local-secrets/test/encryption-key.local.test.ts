import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { CredentialId, SecretStore, WorkspaceId } from "@sciple/jira-core"
import { ConfigProvider, Effect, Layer, Logger, Redacted } from "effect"
import { KEY_FILE_NAME, keyFromFile } from "../src/encryption-key.local.ts"
import * as SecretStoreLocal from "../src/secret-store.local.ts"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "local-secrets-key-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
let dirs = 0
const freshDir = () => path.join(root, `dir-${++dirs}`)

const owner = { workspaceId: WorkspaceId.make("ws-1"), credentialId: CredentialId.make("cred-1") }
const mode = (file: string) => fs.statSync(file).mode & 0o777

const fromEnv = (env: Record<string, string>) =>
  Layer.build(SecretStoreLocal.layerConfig).pipe(
    Effect.scoped,
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
  )

describe("the local store's key", () => {
  it.live("is created on first start as an owner-only file in an owner-only folder, and reused on restart", () => {
    const dir = path.join(freshDir(), "nested", "secrets")
    const store = SecretStoreLocal.layer({ dir })
    return Effect.gen(function* () {
      const ref = yield* SecretStore.use((s) => s.put(owner, Redacted.make("kept"))).pipe(Effect.provide(store))
      const keyFile = path.join(dir, KEY_FILE_NAME)
      expect(mode(keyFile)).toBe(0o600)
      expect(mode(dir)).toBe(0o700)
      const first = fs.readFileSync(keyFile, "utf8")
      expect(Buffer.from(first.trim(), "base64")).toHaveLength(32)

      // A restart: a new layer over the same folder reads the same key.
      const value = yield* SecretStore.use((s) => s.get(ref)).pipe(Effect.provide(SecretStoreLocal.layer({ dir })))
      expect(Redacted.value(value)).toBe("kept")
      expect(fs.readFileSync(keyFile, "utf8")).toBe(first)
      expect(fs.readdirSync(dir).sort()).toEqual([KEY_FILE_NAME, "ws-1.cred-1.secret"])
    })
  })

  it.live("tightens a key file others could read, and a secrets folder others could enter", () => {
    const dir = freshDir()
    return Effect.gen(function* () {
      yield* keyFromFile(dir)
      fs.chmodSync(path.join(dir, KEY_FILE_NAME), 0o644)
      fs.chmodSync(dir, 0o755)
      yield* keyFromFile(dir)
      expect(mode(path.join(dir, KEY_FILE_NAME))).toBe(0o600)
      expect(mode(dir)).toBe(0o700)
    })
  })

  it.live("is one key when many starts race in one process", () => {
    const dir = freshDir()
    return Effect.gen(function* () {
      const keys = yield* Effect.all(
        Array.from({ length: 25 }, () => keyFromFile(dir)),
        { concurrency: "unbounded" }
      )
      expect(new Set(keys.map((key) => key.id)).size).toBe(1)
      expect(fs.readdirSync(dir)).toEqual([KEY_FILE_NAME])
    })
  })

  it.live("is one key when several processes start at once", () =>
    Effect.promise(async () => {
      const dir = freshDir()
      const moduleUrl = new URL("../src/encryption-key.local.ts", import.meta.url).href
      // Each child loads everything first, then waits for a common instant, so the creations really race.
      const script = `
        const { Effect } = await import("effect")
        const { keyFromFile } = await import(${JSON.stringify(moduleUrl)})
        const startAt = Number(process.argv[1])
        await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()))
        const key = await Effect.runPromise(keyFromFile(${JSON.stringify(dir)}))
        process.stdout.write(key.id)
      `
      const startAt = String(Date.now() + 1000)
      const run = promisify(execFile)
      const children = await Promise.all(
        Array.from({ length: 4 }, () =>
          run(process.execPath, ["--input-type=module", "-e", script, startAt], {
            cwd: path.dirname(fileURLToPath(import.meta.url)),
            timeout: 20_000
          })
        )
      )
      const ids = children.map((child) => child.stdout)
      expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true)
      expect(new Set(ids).size).toBe(1)
      expect(fs.readdirSync(dir)).toEqual([KEY_FILE_NAME])
    })
  )

  it.live("refuses a corrupt key file with a clear error instead of making a new key", () => {
    const dir = freshDir()
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, KEY_FILE_NAME), "not-a-key\n", { mode: 0o600 })
    return Effect.gen(function* () {
      const error = yield* keyFromFile(dir).pipe(Effect.flip)
      expect(error._tag).toBe("SecretStoreLocalSetupError")
      expect(error.message).toContain("does not hold a base64-encoded 32-byte key")
      expect(error.message).not.toContain("not-a-key")
      expect(fs.readFileSync(path.join(dir, KEY_FILE_NAME), "utf8")).toBe("not-a-key\n")
    })
  })
})

describe("SECRETS_LOCAL_KEY and DATA_DIR", () => {
  const invalid = [
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["31 bytes", randomBytes(31).toString("base64")],
    ["hex, not base64", randomBytes(32).toString("hex")],
    ["not base64 at all", "correct horse battery staple correct horse b"]
  ] as const

  for (const [what, value] of invalid) {
    it.live(`rejects a key that is ${what}, without echoing it`, () =>
      Effect.gen(function* () {
        const error = yield* fromEnv({ DATA_DIR: freshDir(), SECRETS_LOCAL_KEY: value }).pipe(Effect.flip)
        expect(error._tag).toBe("SecretStoreLocalSetupError")
        expect(error.message).toBe(
          "Local secret store: SECRETS_LOCAL_KEY must be the base64 encoding of exactly 32 random bytes (44 characters, as printed by `openssl rand -base64 32`)."
        )
        expect(`${error.message} ${String(error)} ${JSON.stringify(error)}`).not.toContain(value)
      })
    )
  }

  it.live("takes a valid key from the environment and writes no key file", () => {
    const dataDir = freshDir()
    return Effect.gen(function* () {
      yield* fromEnv({ DATA_DIR: dataDir, SECRETS_LOCAL_KEY: ` ${randomBytes(32).toString("base64")}\n` })
      expect(fs.readdirSync(path.join(dataDir, "secrets"))).toEqual([])
    })
  })

  it.live("without a key, creates <DATA_DIR>/secrets/master.key", () => {
    const dataDir = freshDir()
    return Effect.gen(function* () {
      yield* fromEnv({ DATA_DIR: dataDir })
      expect(mode(path.join(dataDir, "secrets", KEY_FILE_NAME))).toBe(0o600)
    })
  })

  it.live("warns at start when the stored secrets were encrypted with another key", () => {
    const dir = freshDir()
    const logs: Array<string> = []
    const logger = Logger.layer([Logger.make((options) => logs.push(String(options.message)))])
    return Effect.gen(function* () {
      yield* SecretStore.use((s) => s.put(owner, Redacted.make("t"))).pipe(
        Effect.provide(SecretStoreLocal.layer({ dir }))
      )
      expect(logs).toEqual([])
      const other = Redacted.make(randomBytes(32).toString("base64"))
      yield* Layer.build(SecretStoreLocal.layer({ dir, key: other })).pipe(Effect.scoped)
      expect(logs.join("\n")).toContain("encrypted with another key")
    }).pipe(Effect.provide(logger))
  })
})
