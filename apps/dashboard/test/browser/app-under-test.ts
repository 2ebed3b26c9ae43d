import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openPostgres } from "@sciple/drizzle-postgres"
import { seedPgliteDataDir } from "@sciple/drizzle-postgres/testing"
import {
  createJiraSimulator,
  DEMO_SITE,
  type JiraSimulator,
  type RunningServer,
  type SimAccount,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import { Effect, Result } from "effect"
import { DEMO_PASSWORD, DEMO_USERS } from "../../demo/seed.ts"
import { AccountStore, createAdministrator } from "../../src/identity/index.ts"
import { hashPassword } from "../../src/platform/password.ts"
import { randomToken } from "../../src/platform/tokens.ts"
import { type Running, start } from "../../src/server.ts"
import { readSettings, type Settings } from "../../src/settings.ts"

/** The demo's two people; the suite creates them itself so that the workspace starts without Jira. */
export const ADMIN = { email: "admin@demo.test", password: DEMO_PASSWORD } as const
export const VIEWER = { email: "viewer@demo.test", password: DEMO_PASSWORD } as const

export interface AppUnderTest {
  readonly url: string
  readonly sim: JiraSimulator
  readonly simulator: RunningServer
  readonly running: Running
  /** The app's data folder (the embedded database, the secret store). */
  readonly dataDir: string
  /** The app's own PostgreSQL database, or null on the embedded one. */
  readonly databaseUrl: string | null
  /** Stops the app (the data folder and the database stay, for inspection); safe to call twice. */
  readonly stop: () => Promise<void>
  /** Stops the app and the simulator, drops the database and removes the data folder. */
  readonly close: () => Promise<void>
}

export interface AppUnderTestOptions {
  /** The simulated site's valid credentials; the demo accounts by default. */
  readonly accounts?: ReadonlyArray<SimAccount>
  /** LOG_LEVEL; Warn by default. */
  readonly logLevel?: Settings["logLevel"]
  /** Where the app's own start-up lines go (not its logger); dropped by default. */
  readonly log?: (line: string) => void
  /**
   * Starts the embedded database from the migrated test template instead of an empty folder: skips initdb
   * (seconds) for suites that do not test the first start.
   */
  readonly fromTemplate?: boolean
}

/** Runs one statement on the PostgreSQL server of `url`, over a connection of its own. */
const onServer = (url: string, statement: string) =>
  Effect.runPromise(
    Effect.scoped(
      openPostgres(url, { migrate: false, maxConnections: 1 }).pipe(
        Effect.flatMap((database) => database.run((db) => db.execute(statement)))
      )
    )
  )

/** A database of its own on the server of DATABASE_URL, so runs never see each other's users. */
const freshPostgres = async (serverUrl: string) => {
  const name = `app_under_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
  await onServer(serverUrl, `create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `drop database if exists "${name}" with (force)`).then(() => undefined)
  }
}

/**
 * The dashboard as `pnpm demo` runs it (simulated site on loopback, demo sign-in hints) but with a workspace
 * that is not connected to Jira yet: an administrator from ADMIN_EMAIL, a viewer added through the account
 * store, no credential. PGlite in a fresh data folder, or a fresh PostgreSQL database when DATABASE_URL is set.
 */
export const startAppUnderTest = async (options: AppUnderTestOptions = {}): Promise<AppUnderTest> => {
  // A frozen clock: the simulated data, its relative JQL dates and the suite's expectations all agree.
  const at = new Date()
  const sim = createJiraSimulator({
    now: () => at,
    ...(options.accounts === undefined ? {} : { accounts: options.accounts })
  })
  const simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
  const dataDir = await mkdtemp(join(tmpdir(), "sciple-browser-"))
  const serverUrl = process.env.DATABASE_URL
  const postgres = serverUrl === undefined || serverUrl === "" ? null : await freshPostgres(serverUrl)
  const cleanUp = async () => {
    await simulator.close()
    await postgres?.drop()
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    if (postgres === null && options.fromTemplate === true) await seedPgliteDataDir(dataDir)
    const settings = readSettings({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: options.logLevel ?? "Warn",
      ...(postgres === null ? {} : { DATABASE_URL: postgres.url })
    })
    if (Result.isFailure(settings)) throw new Error(`settings: ${settings.failure.join(" ")}`)
    const running = await start(settings.success, {
      routeHosts: { [new URL(DEMO_SITE).host]: simulator.url },
      demo: { users: DEMO_USERS },
      log: options.log ?? (() => {})
    })
    const viewerHash = await hashPassword(VIEWER.password)
    await running.deps.runtime.runPromise(
      Effect.gen(function* () {
        const accounts = yield* AccountStore
        const admin = yield* accounts.findUserByEmail(ADMIN.email)
        const membership = admin === null ? undefined : (yield* accounts.listMemberships(admin.id))[0]
        if (membership === undefined) return yield* Effect.die(new Error("start did not create the administrator"))
        const workspace = yield* accounts.getWorkspace(membership.workspaceId)
        yield* createAdministrator({
          workspaceId: membership.workspaceId,
          userId: randomToken(12),
          workspaceName: workspace?.name ?? "My workspace",
          email: VIEWER.email,
          passwordHash: viewerHash,
          at: new Date(),
          role: "viewer"
        })
      })
    )
    let stopped: Promise<void> | null = null
    const stop = () => {
      stopped ??= running.close()
      return stopped
    }
    return {
      url: running.url,
      sim,
      simulator,
      running,
      dataDir,
      databaseUrl: postgres?.url ?? null,
      stop,
      close: async () => {
        await stop()
        await cleanUp()
      }
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}
