import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect, Redacted, Schema } from "effect"

/**
 * The local store's 256-bit AES key: from `SECRETS_LOCAL_KEY` when set, otherwise from a key file in the
 * secrets folder that the first start creates. Neither the key nor anything derived from it that could
 * recover it appears in a message; the key id is a one-way fingerprint used to tell "wrong key" apart.
 */

/** @internal not used by production code: for tests and test support */
export const KEY_FILE_NAME = "master.key"
const KEY_BYTES = 32
const STRICT_BASE64 = /^[A-Za-z0-9+/]{43}=?$/

export interface EncryptionKey {
  readonly bytes: Redacted.Redacted<Buffer>
  /** A fingerprint of the key, stored beside each ciphertext. */
  readonly id: string
  readonly source: "environment" | "key file"
}

/** The local store cannot start; the message says what to fix, never the key. */
export class SecretStoreLocalSetupError extends Schema.TaggedError<SecretStoreLocalSetupError>()(
  "SecretStoreLocalSetupError",
  { problem: Schema.String }
) {
  override get message() {
    return `Local secret store: ${this.problem}`
  }
}

const keyId = (bytes: Buffer) =>
  createHash("sha256").update("sciple-local-secrets key id\0").update(bytes).digest("hex").slice(0, 16)

const toKey = (bytes: Buffer, source: EncryptionKey["source"]): EncryptionKey => ({
  bytes: Redacted.make(bytes),
  id: keyId(bytes),
  source
})

/**
 * The 32 bytes a base64 text encodes, or null when it is not exactly that.
 * @internal not used by production code: for tests and test support
 */
export const decodeKey = (text: string): Buffer | null => {
  const trimmed = text.trim()
  if (!STRICT_BASE64.test(trimmed)) return null
  const bytes = Buffer.from(trimmed, "base64")
  return bytes.length === KEY_BYTES ? bytes : null
}

/** `SECRETS_LOCAL_KEY`, validated. */
export const keyFromEnvironment = (value: Redacted.Redacted<string>) => {
  const bytes = decodeKey(Redacted.value(value))
  return bytes === null
    ? Effect.fail(
        new SecretStoreLocalSetupError({
          problem:
            "SECRETS_LOCAL_KEY must be the base64 encoding of exactly 32 random bytes (44 characters, as printed by `openssl rand -base64 32`)."
        })
      )
    : Effect.succeed(toKey(bytes, "environment"))
}

const codeOf = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : "EUNKNOWN"

const setupFailure = (what: string) => (error: unknown) =>
  new SecretStoreLocalSetupError({ problem: `${what} (${codeOf(error)}).` })

/** Creates the secrets folder owner-only (0700), or tightens an existing one. */
export const ensureSecretsDir = (dir: string) =>
  Effect.tryPromise({
    try: async () => {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 })
      await fs.chmod(dir, 0o700)
    },
    catch: setupFailure(`cannot create or secure the secrets folder ${dir}`)
  })

const readKeyFile = (file: string) =>
  Effect.tryPromise({
    try: async () => {
      const handle = await fs.open(file, "r")
      try {
        const stat = await handle.stat()
        // Group or others can read it: close that before using the key.
        const loose = (stat.mode & 0o077) !== 0
        if (loose) await handle.chmod(0o600)
        return { text: await handle.readFile("utf8"), loose }
      } finally {
        await handle.close()
      }
    },
    catch: (error) => error
  })

/**
 * Writes a new random key to a private temporary file (`wx`, 0600, fsynced) and publishes it with link(2),
 * which fails if the key file exists: of several processes starting at once exactly one key wins, and
 * nobody can read a half-written key file. Everyone then reads the winner.
 */
const createKeyFile = (dir: string, file: string) =>
  Effect.tryPromise({
    try: async () => {
      const temp = path.join(dir, `.${KEY_FILE_NAME}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`)
      const handle = await fs.open(temp, "wx", 0o600)
      try {
        await handle.writeFile(`${randomBytes(KEY_BYTES).toString("base64")}\n`)
        await handle.sync()
      } finally {
        await handle.close()
      }
      try {
        await fs.link(temp, file)
      } catch (error) {
        if (codeOf(error) !== "EEXIST") throw error
      } finally {
        await fs.unlink(temp)
      }
      const dirHandle = await fs.open(dir, "r")
      try {
        await dirHandle.sync()
      } finally {
        await dirHandle.close()
      }
    },
    catch: setupFailure(`cannot create the key file ${file}`)
  })

/** The key in `<dir>/master.key`, created on first start. */
export const keyFromFile = Effect.fnUntraced(function* (dir: string) {
  const file = path.join(dir, KEY_FILE_NAME)
  yield* ensureSecretsDir(dir)
  const existing = yield* readKeyFile(file).pipe(
    Effect.catch((error) =>
      codeOf(error) === "ENOENT"
        ? Effect.succeed(null)
        : Effect.fail(setupFailure(`cannot read the key file ${file}`)(error))
    )
  )
  const read =
    existing ??
    (yield* createKeyFile(dir, file).pipe(
      Effect.andThen(readKeyFile(file)),
      Effect.mapError((error) =>
        error instanceof SecretStoreLocalSetupError ? error : setupFailure(`cannot read the key file ${file}`)(error)
      )
    ))
  if (read.loose) yield* Effect.logWarning("The local secrets key file was readable by others; its mode is now 0600")
  const bytes = decodeKey(read.text)
  if (bytes === null) {
    return yield* new SecretStoreLocalSetupError({
      problem: `the key file ${file} does not hold a base64-encoded 32-byte key. Restore it from a backup: without it the stored secrets cannot be decrypted.`
    })
  }
  return toKey(bytes, "key file")
})
