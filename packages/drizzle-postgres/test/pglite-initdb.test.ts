import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { openPglite } from "../src/drizzle-database.pglite.ts"
import { initdbInChild, isInitialised } from "../src/pglite-initdb.ts"

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "drizzle-postgres-initdb-"))

describe("initdb in a child process", () => {
  it("creates a new folder's database in a child, then the server opens, migrates and uses it", async () => {
    const dataDir = tempDir()
    try {
      const tables = await Effect.runPromise(
        Effect.scoped(
          openPglite({ dataDir }).pipe(
            Effect.flatMap((database) =>
              database.run((db) => db.execute("select count(*)::int as n from pg_tables where schemaname = 'public'"))
            )
          )
        )
      )
      expect(isInitialised(path.join(dataDir, "pglite"))).toBe(true)
      expect(JSON.stringify(tables)).toMatch(/"n":[1-9]/)
      // Built beside and renamed into place: nothing of the build is left.
      expect(fs.existsSync(path.join(dataDir, "pglite.initdb"))).toBe(false)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 180_000)

  it("fails with the child's reason and leaves no half-made folder", async () => {
    const dir = tempDir()
    try {
      const file = path.join(dir, "a-file")
      fs.writeFileSync(file, "")
      const target = path.join(file, "pglite")
      await expect(initdbInChild(target)).rejects.toThrow(/^initdb failed \(exit \d+\)/)
      expect(fs.existsSync(`${target}.initdb`)).toBe(false)
      expect(fs.readdirSync(dir)).toEqual(["a-file"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
