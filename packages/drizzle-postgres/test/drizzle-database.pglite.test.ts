import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { ConfigStore, JiraConfig } from "@sciple/jira-core"
import { Effect, Layer } from "effect"
import { ConfigStoreDrizzle } from "../src/config-store.drizzle.ts"
import { layerPglite } from "../src/drizzle-database.pglite.ts"
import { DrizzleDatabase } from "../src/drizzle-database.ts"
import { seedPgliteDataDir, testDriver } from "../src/testing/index.ts"
import { aConfig, aCredential, anAudit, freshWorkspace } from "./support/fixtures.ts"

const storesOn = (dataDir: string) => ConfigStoreDrizzle.pipe(Layer.provideMerge(layerPglite({ dataDir })))

/** Starts another process that opens `dataDir` and holds it; succeeds once it reports the folder open. */
const holdInAnotherProcess = (dataDir: string) =>
  Effect.acquireRelease(
    Effect.callback<ChildProcess>((resume) => {
      const script = fileURLToPath(new URL("./support/hold-data-dir.ts", import.meta.url))
      const child = spawn(process.execPath, ["--conditions=@sciple/source", script, dataDir], {
        stdio: ["ignore", "pipe", "inherit"]
      })
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("open")) resume(Effect.succeed(child))
      })
      child.on("exit", (code) => resume(Effect.die(new Error(`the holder exited early (${code})`))))
    }),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  )

const exited = (child: ChildProcess) =>
  Effect.callback<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) resume(Effect.void)
    else child.on("exit", () => resume(Effect.void))
  })

/** A temporary folder, removed with the scope. */
const tempDataDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "drizzle-postgres-pglite-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

describe("PGlite in a data folder", () => {
  it.live("fails with StoreUnavailable when the data folder cannot be created", () =>
    Effect.gen(function* () {
      const file = path.join(yield* tempDataDir, "a-file")
      fs.writeFileSync(file, "")
      const error = yield* Layer.build(layerPglite({ dataDir: path.join(file, "data") })).pipe(
        Effect.scoped,
        Effect.flip
      )
      expect(error._tag).toBe("StoreUnavailable")
      expect(error.reason).toBe(`cannot create the data folder ${path.join(file, "data")}`)
    }).pipe(Effect.scoped)
  )

  // The on-disk database's own behaviour: part of the PGlite run (the PostgreSQL run has its counterpart).
  if (testDriver() === "pglite") registerTests()
})

function registerTests() {
  it.live(
    "keeps what was committed across close and reopen, refuses a second process, survives a crash",
    () =>
      Effect.gen(function* () {
        const dataDir = yield* tempDataDir
        yield* Effect.promise(() => seedPgliteDataDir(dataDir))

        // A call on a closed database fails with StoreUnavailable and writes nothing.
        const config = yield* Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* freshWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const config = aConfig(credential)
          yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          yield* DrizzleDatabase.use((database) => database.close)
          const renamed = new JiraConfig({ ...config, name: "Renamed", version: 2 })
          const error = yield* store
            .updateConfig(renamed, 1, anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED"))
            .pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "StoreUnavailable", reason: "the embedded database is closed" })
          return config
        }).pipe(Effect.provide(storesOn(dataDir)))

        // PGlite does not lock its folder; the lock file makes a second process fail clearly instead.
        const holder = yield* holdInAnotherProcess(dataDir)
        const refused = yield* Layer.build(layerPglite({ dataDir })).pipe(Effect.scoped, Effect.flip)
        expect(refused.message).toBe(
          `The database is unavailable: the data folder ${dataDir} is already open in process ${holder.pid}; ` +
            `stop that process, or delete ${path.join(dataDir, "pglite.lock")} if it is not running`
        )

        // Killed without a chance to clean up, the holder leaves a stale lock: the next open takes it over.
        holder.kill("SIGKILL")
        yield* exited(holder)
        const [stored, audit] = yield* ConfigStore.use((store) =>
          Effect.all([
            store.getConfig(config.workspaceId),
            store.listAudit(config.workspaceId, { limit: 10, before: null })
          ])
        ).pipe(Effect.provide(storesOn(dataDir)))
        expect(stored).toEqual(config)
        expect(audit.map((e) => e.action).sort()).toEqual(["CREDENTIAL_CREATED", "JIRA_CONFIG_CREATED"])
        expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false)
      }).pipe(Effect.scoped),
    // Four opens of the embedded database, one in a child process: a limit for a busy machine, not a timing.
    120_000
  )
}
