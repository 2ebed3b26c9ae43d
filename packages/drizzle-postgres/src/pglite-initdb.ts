import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

/**
 * Memory settings for the embedded database: one backend serving one app, so PostgreSQL's server-sized
 * defaults (128 MB of shared buffers) only grow the WASM heap. Measured in adr/0027.
 */
export const PGLITE_CONF: ReadonlyArray<string> = [
  "shared_buffers = 16MB",
  "work_mem = 2MB",
  "wal_buffers = 1MB",
  "temp_buffers = 1MB",
  "maintenance_work_mem = 8MB"
]

/**
 * The node flag that has V8 compile PGlite's WASM with its baseline compiler only: optimising PostgreSQL's large
 * functions in the background cost ~1 s of CPU and ~550 MB of transient memory on Node 24 at every start and
 * during the first page views, for queries that spend their time elsewhere (adr/0027). It must be on the node
 * command line of the process that opens PGlite: NODE_OPTIONS refuses it, and set at run time
 * (`v8.setFlagsFromString`) Node 24 ignores it. The app's start scripts pass it; the initdb child gets it here.
 */
const PGLITE_V8_FLAGS = "--liftoff-only"

/** Opens a new folder (PGlite runs initdb), then closes it: the whole of what the child process does. */
const CHILD = `
const [moduleUrl, folder] = process.argv.slice(1)
const { PGlite } = await import(moduleUrl)
const db = await PGlite.create(folder)
await db.close()
`

/** Whether `folder` holds an initialised database (initdb writes PG_VERSION). */
export const isInitialised = (folder: string) => fs.existsSync(path.join(folder, "PG_VERSION"))

/**
 * Creates the database in `folder` in a short-lived child process: initdb inside WASM peaks near 1.1 GB,
 * which the server would otherwise keep as its high-water mark (V8 and WASM rarely give memory back). The
 * child writes a sibling folder that is renamed into place only once complete, so a crash leaves nothing half
 * made. Callers hold the data folder's lock.
 */
export const initdbInChild = async (folder: string): Promise<void> => {
  const building = `${folder}.initdb`
  fs.rmSync(building, { recursive: true, force: true })
  // The package's own entry, resolved here: the child runs from any working directory, bundled or not.
  const moduleUrl = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href
  const stderr: Array<string> = []
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [PGLITE_V8_FLAGS, "--input-type=module", "-e", CHILD, moduleUrl, building], {
      stdio: ["ignore", "ignore", "pipe"]
    })
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")))
    child.once("error", reject)
    child.once("exit", resolve)
  })
  if (code !== 0 || !isInitialised(building)) {
    fs.rmSync(building, { recursive: true, force: true })
    const last = stderr.join("").trim().split("\n").at(-1) ?? ""
    throw new Error(`initdb failed (exit ${code})${last === "" ? "" : `: ${last.slice(0, 200)}`}`)
  }
  fs.renameSync(building, folder)
}
