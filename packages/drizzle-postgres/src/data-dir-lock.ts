import * as fs from "node:fs"
import { StoreUnavailable } from "@sciple/jira-core"
import { Effect } from "effect"

const isErrnoException = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && "code" in error && typeof error.code === "string"

/** The pid recorded in a lock file, or null when the file is unreadable or half-written. */
const readPid = (lockPath: string): number | null => {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isErrnoException(error) && error.code === "EPERM"
  }
}

export type LockAttempt = { readonly _tag: "Locked" } | { readonly _tag: "Held"; readonly pid: number | null }

const tryCreate = (lockPath: string): LockAttempt => {
  try {
    // `wx` fails if the file exists: creating it is the atomic test-and-set.
    fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: "wx" })
    return { _tag: "Locked" }
  } catch (error) {
    if (isErrnoException(error) && error.code === "EEXIST") return { _tag: "Held", pid: readPid(lockPath) }
    throw error
  }
}

/**
 * Creates `lockPath` holding this pid, taking over a lock whose process is gone. Throws only on I/O errors.
 * @internal not used by production code: for tests and test support
 */
export const tryLock = (lockPath: string): LockAttempt => {
  const first = tryCreate(lockPath)
  if (first._tag === "Locked") return first
  // A lock whose process is gone was left by a crash: take it over once. A lock being written right now
  // (no pid yet) is treated as held.
  if (first.pid !== null && first.pid !== process.pid && !isAlive(first.pid)) {
    fs.rmSync(lockPath, { force: true })
    return tryCreate(lockPath)
  }
  return first
}

/**
 * Removes the lock if this process holds it: never one another process took over after a stale-lock check.
 * @internal not used by production code: for tests and test support
 */
export const unlock = (lockPath: string): void => {
  if (readPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true })
}

/**
 * Holds an exclusive lock on a data folder for the lifetime of the scope. PGlite does not lock its
 * folder, and two processes writing one PGlite folder corrupt it; a second opener fails here instead.
 */
export const lockDataDir = (lockPath: string, folder: string) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => tryLock(lockPath),
      catch: (error) =>
        new StoreUnavailable({
          reason: `cannot create the lock file of the data folder ${folder} (${isErrnoException(error) ? error.code : "error"})`
        })
    }).pipe(
      Effect.flatMap((attempt) =>
        attempt._tag === "Locked"
          ? Effect.void
          : Effect.fail(
              new StoreUnavailable({
                reason:
                  `the data folder ${folder} is already open` +
                  (attempt.pid === null ? " in another process" : ` in process ${attempt.pid}`) +
                  `; stop that process, or delete ${lockPath} if it is not running`
              })
            )
      )
    ),
    () => Effect.sync(() => unlock(lockPath))
  )
