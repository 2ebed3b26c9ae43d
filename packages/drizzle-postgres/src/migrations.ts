import * as crypto from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

/**
 * The migrations drizzle-kit generated, committed beside the source. Found through the package's own name,
 * so the path holds when an app bundles this code.
 */
export const migrationsFolder = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@sciple/drizzle-postgres/package.json")),
  "drizzle"
)

/**
 * A digest of every migration file: it changes whenever a migration is added or edited.
 * @internal not used by production code: for tests and test support
 */
export const migrationsDigest = (): string => {
  const hash = crypto.createHash("sha256")
  const files = [
    path.join("meta", "_journal.json"),
    ...fs
      .readdirSync(migrationsFolder)
      .filter((name) => name.endsWith(".sql"))
      .sort()
  ]
  for (const file of files) {
    hash.update(file)
    hash.update(fs.readFileSync(path.join(migrationsFolder, file)))
  }
  return hash.digest("hex").slice(0, 16)
}
