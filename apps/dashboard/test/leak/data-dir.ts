import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { SecretRef, SecretStore } from "@sciple/jira-core"
import { SecretStoreLocal } from "@sciple/local-secrets"
import { Effect, Redacted } from "effect"

export interface DataFile {
  /** Relative to the data folder. */
  readonly path: string
  readonly content: Buffer
}

/** Every file under the data folder (the embedded database, its lock, the secret store and its key). */
export const filesUnder = (dir: string): ReadonlyArray<DataFile> => {
  const files: Array<DataFile> = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) files.push({ path: relative(dir, full), content: readFileSync(full) })
    }
  }
  walk(dir)
  return files
}

const SECRET_FILE = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.secret$/

/**
 * What the local secret store holds, decrypted with its own key: the scan shows the files never hold a
 * token in the clear, this shows they do hold it, encrypted.
 */
export const decryptSecrets = (secretsDir: string): Promise<ReadonlyArray<string>> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* SecretStore
      const values: Array<string> = []
      for (const name of readdirSync(secretsDir)) {
        const match = SECRET_FILE.exec(name)
        if (match === null) continue
        values.push(Redacted.value(yield* store.get(SecretRef.make(`local:${match[1]}/${match[2]}`))))
      }
      return values
    }).pipe(Effect.provide(SecretStoreLocal.layer({ dir: secretsDir })))
  )
