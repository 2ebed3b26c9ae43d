import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { SecretNotFound, type SecretOwner, SecretRef, SecretStore, SecretStoreError } from "@sciple/jira-core"
import { Config, Effect, Layer, Option, Redacted, Schema } from "effect"
import {
  type EncryptionKey,
  ensureSecretsDir,
  keyFromEnvironment,
  keyFromFile,
  type SecretStoreLocalSetupError
} from "./encryption-key.local.ts"

/**
 * The SecretStore as encrypted files: one file per secret under the secrets folder, AES-256-GCM with a fresh
 * random 12-byte nonce per write and the secret's ref as additional authenticated data, so a ciphertext
 * copied under another ref, a flipped byte or a wrong key all fail as SecretStoreError `integrity`.
 * Writes go to a temporary file that is fsynced and renamed over the old one.
 */

export { SecretStoreLocalSetupError } from "./encryption-key.local.ts"

const REF = /^local:([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/
const SUFFIX = ".secret"
const ALGORITHM = "A256GCM"
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** The stored file: only ciphertext and what is needed to check and decrypt it. */
const Envelope = Schema.Struct({
  v: Schema.Literal(1),
  alg: Schema.Literal(ALGORITHM),
  /** Fingerprint of the key that encrypted it. */
  kid: Schema.String,
  nonce: Schema.String,
  tag: Schema.String,
  ciphertext: Schema.String
})
type Envelope = typeof Envelope.Type
const parseEnvelope = (text: string): Envelope | null =>
  Option.getOrNull(Schema.decodeUnknownOption(Schema.fromJsonString(Envelope))(text))

const refOf = (owner: SecretOwner) => SecretRef.make(`local:${owner.workspaceId}/${owner.credentialId}`)

// Ids never contain ".", so "<workspace>.<credential>" cannot collide.
const fileName = (workspaceId: string, credentialId: string) => `${workspaceId}.${credentialId}${SUFFIX}`

/**
 * The file of a ref, or null for a ref this store never hands out (so it cannot name a path outside the folder).
 * @internal not used by production code: for tests and test support
 */
export const fileOf = (dir: string, ref: string): string | null => {
  const match = REF.exec(ref)
  return match?.[1] === undefined || match[2] === undefined ? null : path.join(dir, fileName(match[1], match[2]))
}

const additionalData = (kid: string, ref: string) =>
  Buffer.from(`sciple-local-secrets/v1\0${ALGORITHM}\0${kid}\0${ref}`)

const seal = (key: EncryptionKey, ref: string, value: Redacted.Redacted<string>): string => {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv("aes-256-gcm", Redacted.value(key.bytes), nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(additionalData(key.id, ref))
  const ciphertext = Buffer.concat([cipher.update(Redacted.value(value), "utf8"), cipher.final()])
  const envelope: Envelope = {
    v: 1 as const,
    alg: ALGORITHM,
    kid: key.id,
    nonce: nonce.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64")
  }
  return `${JSON.stringify(envelope)}\n`
}

const integrity = (detail: string) => new SecretStoreError({ reason: "integrity", detail })

const open = (
  key: EncryptionKey,
  ref: string,
  text: string
): Effect.Effect<Redacted.Redacted<string>, SecretStoreError> => {
  const envelope = parseEnvelope(text)
  if (envelope === null) return Effect.fail(integrity("the secret file is not a readable envelope"))
  if (envelope.kid !== key.id) return Effect.fail(integrity("the secret was encrypted with a different key"))
  const nonce = Buffer.from(envelope.nonce, "base64")
  const tag = Buffer.from(envelope.tag, "base64")
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    return Effect.fail(integrity("the secret file has a malformed nonce or tag"))
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", Redacted.value(key.bytes), nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(additionalData(envelope.kid, ref))
    decipher.setAuthTag(tag)
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, "base64")), decipher.final()])
    return Effect.succeed(Redacted.make(plain.toString("utf8")))
  } catch {
    return Effect.fail(integrity("the secret failed authentication: tampered with, or moved from another secret"))
  }
}

const codeOf = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : "EUNKNOWN"

const fsError = (operation: string) => (error: unknown) => {
  const code = codeOf(error)
  return new SecretStoreError({
    reason: code === "EACCES" || code === "EPERM" ? "access_denied" : "unavailable",
    detail: `${operation}: file system error ${code}`
  })
}

const syncDir = async (dir: string) => {
  const handle = await fs.open(dir, "r")
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Replaces `file` in one step: a reader sees the old content or the new, never a part. */
const writeAtomically = async (file: string, content: string) => {
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`
  const handle = await fs.open(temp, "wx", 0o600)
  try {
    try {
      await handle.writeFile(content)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(temp, file)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
  await syncDir(path.dirname(file))
}

const exists = async (file: string) => {
  try {
    await fs.access(file)
    return true
  } catch (error) {
    if (codeOf(error) === "ENOENT") return false
    throw error
  }
}

/** The port over a folder and a key; the folder must exist (the layers create it). */
const make = (dir: string, key: EncryptionKey) => {
  const put = Effect.fn("SecretStoreLocal.put")(function* (owner: SecretOwner, value: Redacted.Redacted<string>) {
    const ref = refOf(owner)
    const file = path.join(dir, fileName(owner.workspaceId, owner.credentialId))
    yield* Effect.tryPromise({ try: () => writeAtomically(file, seal(key, ref, value)), catch: fsError("put") })
    return ref
  })

  const get = Effect.fn("SecretStoreLocal.get")(function* (ref: SecretRef) {
    const file = fileOf(dir, ref)
    if (file === null) return yield* new SecretNotFound({ ref })
    const text = yield* Effect.tryPromise({
      try: () => fs.readFile(file, "utf8"),
      catch: (error) => (codeOf(error) === "ENOENT" ? new SecretNotFound({ ref }) : fsError("get")(error))
    })
    return yield* open(key, ref, text)
  })

  const rotate = Effect.fn("SecretStoreLocal.rotate")(function* (ref: SecretRef, value: Redacted.Redacted<string>) {
    const file = fileOf(dir, ref)
    if (file === null) return yield* new SecretNotFound({ ref })
    const present = yield* Effect.tryPromise({ try: () => exists(file), catch: fsError("rotate") })
    if (!present) return yield* new SecretNotFound({ ref })
    yield* Effect.tryPromise({ try: () => writeAtomically(file, seal(key, ref, value)), catch: fsError("rotate") })
  })

  const remove = Effect.fn("SecretStoreLocal.delete")(function* (ref: SecretRef) {
    const file = fileOf(dir, ref)
    if (file === null) return
    yield* Effect.tryPromise({
      try: async () => {
        await fs.rm(file, { force: true })
        await syncDir(dir)
      },
      catch: fsError("delete")
    })
  })

  return SecretStore.of({ refFor: refOf, put, get, rotate, delete: remove })
}

/** Warns at start when the stored secrets were encrypted with another key than the one configured. */
const warnOnKeyMismatch = (dir: string, key: EncryptionKey) =>
  Effect.tryPromise(async () => {
    const names = (await fs.readdir(dir)).filter((name) => name.endsWith(SUFFIX))
    const first = names[0]
    if (first === undefined) return false
    return parseEnvelope(await fs.readFile(path.join(dir, first), "utf8"))?.kid !== key.id
  }).pipe(
    Effect.flatMap((mismatch) =>
      mismatch
        ? Effect.logWarning(
            `The stored secrets were encrypted with another key than the configured one (from the ${key.source}); reading them will fail`
          )
        : Effect.void
    ),
    Effect.ignore
  )

export interface SecretStoreLocalOptions {
  /** The secrets folder; created owner-only (0700) when missing. */
  readonly dir: string
  /** Base64 of 32 bytes. When absent, `<dir>/master.key` is used, and created on first start (0600). */
  readonly key?: Redacted.Redacted<string> | undefined
}

/** The encrypted local SecretStore. */
export const layer = (options: SecretStoreLocalOptions): Layer.Layer<SecretStore, SecretStoreLocalSetupError> =>
  Layer.effect(
    SecretStore,
    Effect.gen(function* () {
      const dir = path.resolve(options.dir)
      const key = options.key === undefined ? yield* keyFromFile(dir) : yield* keyFromEnvironment(options.key)
      yield* ensureSecretsDir(dir)
      yield* warnOnKeyMismatch(dir, key)
      return make(dir, key)
    })
  )

/**
 * Reads `DATA_DIR` (default `./.data`; secrets go to `<DATA_DIR>/secrets`) and `SECRETS_LOCAL_KEY`.
 * @internal not used by production code: for tests and test support
 */
export const layerConfig: Layer.Layer<SecretStore, SecretStoreLocalSetupError | Config.ConfigError> = Layer.unwrap(
  Effect.gen(function* () {
    const dataDir = yield* Config.String("DATA_DIR").pipe(Config.withDefault("./.data"))
    const key = yield* Config.Redacted("SECRETS_LOCAL_KEY").pipe(Config.option)
    return layer({
      dir: path.join(dataDir.trim() === "" ? "./.data" : dataDir, "secrets"),
      key: Option.getOrUndefined(Option.filter(key, (value) => Redacted.value(value).trim() !== ""))
    })
  })
)
