import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { lockDataDir } from "../src/data-dir-lock.ts"

/** A temporary folder, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "drizzle-postgres-lock-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/** A pid no process has: that of a child that already exited. */
const deadPid = () => {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
  return Number(child.stdout)
}

describe("the data folder lock", () => {
  it.live("refuses a second holder in the same process, and frees the folder when the first lets go", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const lockPath = path.join(dir, "pglite.lock")
      const second = yield* Effect.scoped(
        Effect.andThen(lockDataDir(lockPath, dir), lockDataDir(lockPath, dir).pipe(Effect.flip))
      )
      expect(second._tag).toBe("StoreUnavailable")
      expect(second.reason).toContain(`is already open in process ${process.pid}`)
      expect(fs.existsSync(lockPath)).toBe(false)
      yield* Effect.scoped(lockDataDir(lockPath, dir))
    }).pipe(Effect.scoped)
  )

  it.live("takes over a lock left behind by a process that is gone", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const lockPath = path.join(dir, "pglite.lock")
      fs.writeFileSync(lockPath, `${deadPid()}\n`)
      yield* Effect.scoped(
        lockDataDir(lockPath, dir).pipe(
          Effect.andThen(Effect.sync(() => expect(fs.readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid))))
        )
      )
      expect(fs.existsSync(lockPath)).toBe(false)
    }).pipe(Effect.scoped)
  )
})
