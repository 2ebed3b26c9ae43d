import { chmod, readdir, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Client, type FreshDatabase, freshDatabase, startApp } from "../support/reliability.ts"

/** The data folder is owner-only (issue 14): what an older version left world-readable is tightened at start. */

let database: FreshDatabase
beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(async () => {
  await database?.drop()
})

const modes = async (dir: string): Promise<ReadonlyArray<{ path: string; mode: number; dir: boolean }>> => {
  const out: Array<{ path: string; mode: number; dir: boolean }> = []
  const visit = async (entry: string) => {
    const s = await stat(entry)
    out.push({ path: entry, mode: s.mode & 0o777, dir: s.isDirectory() })
    if (s.isDirectory()) for (const name of await readdir(entry)) await visit(join(entry, name))
  }
  await visit(dir)
  return out
}

describe("the data folder", () => {
  it("is tightened to 0700/0600 at start, with a log line, and stays so after a credential is stored", async () => {
    await chmod(database.dataDir, 0o755)
    await writeFile(join(database.dataDir, "left-by-an-older-version"), "x", { mode: 0o644 })
    await chmod(join(database.dataDir, "left-by-an-older-version"), 0o644)
    const lines: Array<string> = []
    const app = await startApp(database, { start: { log: (line) => lines.push(line) } })
    try {
      expect(lines.some((line) => /^Tightened \d+ files and folders in DATA_DIR/.test(line))).toBe(true)
      const admin = await new Client(app.url).signIn()
      const created = await admin.api("POST", "/api/v1/credentials", {
        name: "Bot",
        username: "bot@example.test",
        token: "a-token-value"
      })
      expect(created.status).toBe(201)
      const root = await stat(database.dataDir)
      expect(root.mode & 0o777).toBe(0o700)
      for (const entry of await modes(join(database.dataDir, "secrets"))) expect(entry.mode & 0o077, entry.path).toBe(0)
      expect((await stat(join(database.dataDir, "left-by-an-older-version"))).mode & 0o777).toBe(0o600)
    } finally {
      await app.close()
    }
  })

  it("a restart on a folder nothing else touched tightens nothing and says nothing; every entry stays owner-only", async () => {
    // The embedded database re-creates files of its own at every start (0644, whatever the umask).
    for (let restart = 0; restart < 2; restart++) {
      const lines: Array<string> = []
      const app = await startApp(database, { start: { log: (line) => lines.push(line) } })
      try {
        const loose = (await modes(database.dataDir)).filter((entry) => (entry.mode & 0o077) !== 0)
        expect(loose).toEqual([])
      } finally {
        await app.close()
      }
      expect(lines.filter((line) => line.startsWith("Tightened"))).toEqual([])
    }
  })
})
