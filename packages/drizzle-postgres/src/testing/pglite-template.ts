import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { drizzle } from "drizzle-orm/pglite"
import { migrate } from "drizzle-orm/pglite/migrator"
import { Predicate } from "effect"
import { tryLock, unlock } from "../data-dir-lock.ts"
import { migrationsDigest, migrationsFolder } from "../migrations.ts"

const CACHE_DIR = path.join(os.tmpdir(), "sciple-drizzle-postgres")
const WAIT_LIMIT_MS = 120_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The installed PGlite's version: a dump is only loaded by the PGlite (and PostgreSQL) that wrote it. */
const pgliteVersion = (): string => {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite")
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8"))
  return Predicate.hasProperty(manifest, "version") && Predicate.isString(manifest.version)
    ? manifest.version
    : "unknown"
}

/** Where the template of the current migrations is cached; a new migration or PGlite gives a new file. */
const templatePath = () => path.join(CACHE_DIR, `pglite-${pgliteVersion()}-${migrationsDigest()}.tar`)

/** A template unused this long belongs to no run still going (another checkout's may be in use right now). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000

/** Templates of older migration sets (~40 MB each, and their unpacked copies) are dead weight once a day old. */
const pruneOtherTemplates = (current: string) => {
  const cutoff = Date.now() - PRUNE_AFTER_MS
  for (const name of fs.readdirSync(CACHE_DIR)) {
    const other = path.join(CACHE_DIR, name)
    if (other === current || !name.startsWith("pglite-") || !(name.endsWith(".tar") || name.endsWith(".tar.d")))
      continue
    const stat = fs.statSync(other, { throwIfNoEntry: false })
    if (stat !== undefined && stat.mtimeMs < cutoff) fs.rmSync(other, { recursive: true, force: true })
  }
}

const build = async (file: string) => {
  // initdb is the slow part (seconds, ~1 GB): done once here, then every test file loads the dump.
  const client = await PGlite.create()
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
    const dump = await client.dumpDataDir("none")
    const partial = `${file}.${process.pid}.partial`
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    // Readers only ever see a complete file.
    fs.renameSync(partial, file)
    pruneOtherTemplates(file)
  } finally {
    await client.close()
  }
}

let cached: Promise<Blob> | null = null

/**
 * A dump of a freshly migrated PGlite, built once per migration set and shared by every test process:
 * the first process to need it builds it under a lock file, the others wait for the file.
 */
export const pgliteTemplate = (): Promise<Blob> => {
  cached ??= (async () => {
    fs.mkdirSync(CACHE_DIR, { recursive: true })
    const file = templatePath()
    await buildOnce(file, () => build(file))
    // Marks the template as in use, so another checkout's run does not prune it.
    const now = new Date()
    fs.utimesSync(file, now, now)
    return new Blob([fs.readFileSync(file)])
  })()
  cached.catch(() => {
    cached = null
  })
  return cached
}

/** Waits for `file` to exist, building it with `build` under a lock file if no other process is. */
const buildOnce = async (file: string, build: () => Promise<void>) => {
  const lockPath = `${file}.lock`
  const deadline = Date.now() + WAIT_LIMIT_MS
  while (!fs.existsSync(file)) {
    if (tryLock(lockPath)._tag === "Locked") {
      try {
        if (!fs.existsSync(file)) await build()
      } finally {
        unlock(lockPath)
      }
    } else if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for another process to build ${file}`)
    } else {
      await sleep(100)
    }
  }
}

/**
 * Fills a new data folder (as `layerPglite({ dataDir })` lays it out) with a migrated database, so tests
 * of the on-disk database skip initdb: the template is unpacked to disk once, then copied per folder.
 */
export const seedPgliteDataDir = async (dataDir: string) => {
  const template = await pgliteTemplate()
  const unpacked = `${templatePath()}.d`
  await buildOnce(unpacked, async () => {
    const partial = `${unpacked}.${process.pid}.partial`
    fs.rmSync(partial, { recursive: true, force: true })
    fs.mkdirSync(partial)
    const client = await PGlite.create(partial, { loadDataDir: template })
    await client.close()
    fs.renameSync(partial, unpacked)
  })
  fs.mkdirSync(dataDir, { recursive: true })
  fs.cpSync(unpacked, path.join(dataDir, "pglite"), { recursive: true })
}
