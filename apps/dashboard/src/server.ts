import { serve } from "@hono/node-server"
import { Cause, Effect, Exit, ManagedRuntime, Redacted } from "effect"
import { appLayer, DrizzleDatabase, PageCache } from "./compose.ts"
import { createApp } from "./http/app.tsx"
import type { AppDeps, DemoInfo } from "./http/runtime.ts"
import { AccountStore, createAdministrator } from "./identity/index.ts"
import { makeLoginThrottleDrizzle } from "./identity/login-throttle.drizzle.ts"
import { secureDataDir } from "./platform/data-dir.ts"
import { hashPassword } from "./platform/password.ts"
import { randomToken } from "./platform/tokens.ts"
import type { Settings } from "./settings.ts"

export interface StartOptions {
  /** Hosts the Jira client sends elsewhere (the demo's simulated site). */
  readonly routeHosts?: Readonly<Record<string, string>>
  readonly demo?: DemoInfo | null
  /** Runs once the database is open, before the first request (the demo seeds here). */
  readonly seed?: (runtime: AppDeps["runtime"]) => Promise<void>
  readonly log?: (line: string) => void
}

export interface Running {
  readonly url: string
  readonly deps: AppDeps
  readonly close: () => Promise<void>
}

/** The first line of what made an effect fail: enough to say why the process cannot start. */
const oneLine = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  const message = error instanceof Error ? error.message : String(error)
  return message.split("\n")[0] ?? "unknown error"
}

export class StartupError extends Error {}

/** Opens the database (applying migrations), makes sure someone can sign in, and serves the app. */
export const start = async (settings: Settings, options: StartOptions = {}): Promise<Running> => {
  const log = options.log ?? ((line: string) => console.log(line))
  const usesDataDir = settings.databaseUrl === null || settings.secretStore === "local"
  const secure = () =>
    secureDataDir(settings.dataDir).catch((error: unknown) => {
      throw new StartupError(
        `cannot prepare the data folder (DATA_DIR): ${error instanceof Error ? error.message : String(error)}`
      )
    })
  if (usesDataDir) {
    const tightened = await secure()
    if (tightened > 0)
      log(`Tightened ${tightened} files and folders in DATA_DIR to owner-only access (folders 0700, files 0600).`)
  }
  const runtime = ManagedRuntime.make(
    appLayer(settings, options.routeHosts === undefined ? {} : { routeHosts: options.routeHosts })
  )
  const opened = await runtime.runPromiseExit(DrizzleDatabase.use((db) => db.ping))
  if (Exit.isFailure(opened)) {
    await runtime.dispose()
    throw new StartupError(`cannot open the database: ${oneLine(opened.cause)}`)
  }
  // Once more, without a log line: the embedded database writes files of its own as it opens, 0644 whatever the
  // umask (initdb's on a new folder, PostgreSQL's relation cache files at every start). Tightened now, the next
  // start finds nothing loose and says so only when something else left a file open to others.
  if (usesDataDir)
    await secure().catch(async (error: unknown) => {
      await runtime.dispose()
      throw error
    })
  await options.seed?.(runtime)

  const setupToken: { current: string | null } = { current: null }
  const users = await runtime.runPromise(AccountStore.use((a) => a.countUsers))
  const base =
    settings.publicUrl ?? `http://${settings.host === "0.0.0.0" ? "localhost" : settings.host}:${settings.port}`
  if (users === 0 && settings.admin !== null) {
    await runtime.runPromise(
      createAdministrator({
        workspaceId: randomToken(12),
        userId: randomToken(12),
        workspaceName: "My workspace",
        email: settings.admin.email,
        passwordHash: await hashPassword(Redacted.value(settings.admin.password)),
        at: new Date()
      })
    )
    log(`Created the administrator ${settings.admin.email} from ADMIN_EMAIL.`)
  } else if (users === 0) {
    setupToken.current = randomToken()
    log(
      `No account exists yet. Create the first administrator (one-time link): ${base}/setup?token=${setupToken.current}`
    )
  }

  const deps: AppDeps = {
    runtime,
    ready: async () => Exit.isSuccess(await runtime.runPromiseExit(DrizzleDatabase.use((db) => db.ping))),
    now: () => new Date(),
    jiraFreshForMs: settings.cacheTtlSeconds * 1000,
    sessionTtlMs: settings.sessionTtlHours * 3_600_000,
    throttle: makeLoginThrottleDrizzle(await runtime.runPromise(DrizzleDatabase.use((db) => Effect.succeed(db)))),
    trustedProxies: settings.trustedProxies,
    secureCookies: settings.secureCookies,
    publicOrigin: settings.publicUrl === null ? null : new URL(settings.publicUrl).origin,
    setupToken,
    demo: options.demo ?? null
  }
  const app = createApp(deps, {
    pageCache: await runtime.runPromise(PageCache.useSync((cache) => cache)),
    metrics: settings.metrics
  })
  const sweep = setInterval(() => {
    void runtime.runPromise(AccountStore.use((a) => a.deleteExpiredSessions(new Date())).pipe(Effect.ignore))
  }, 3_600_000)
  sweep.unref()

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, () => resolve(s))
    s.once("error", reject)
  })
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : settings.port
  const url = settings.publicUrl ?? `http://${settings.host === "0.0.0.0" ? "localhost" : settings.host}:${port}`
  return {
    url,
    deps,
    close: async () => {
      clearInterval(sweep)
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
    }
  }
}
