import { mkdtemp, readdir, rm } from "node:fs/promises"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DrizzleDatabase, type DrizzleDatabaseShape, openPostgres } from "@sciple/drizzle-postgres"
import { seedPgliteDataDir } from "@sciple/drizzle-postgres/testing"
import { Context, Effect, Option, Result } from "effect"
import { getResponse, type RequestHandler } from "msw"
import { type Running, type StartOptions, start } from "../../src/server.ts"
import { readSettings } from "../../src/settings.ts"

/** Helpers for the reliability suite: the real app (`start`) on the real database, driven over HTTP. */

export const ADMIN = { email: "admin@reliability.test", password: "reliability-password" } as const

/** PostgreSQL when DATABASE_URL is set (CI's second run), else the embedded PGlite. */
export const driver = (): "postgres" | "pglite" => (process.env.DATABASE_URL ? "postgres" : "pglite")

/** Runs one statement on the PostgreSQL server of `url`, over a connection of its own. */
const onServer = (url: string, statement: string) =>
  Effect.runPromise(
    Effect.scoped(
      openPostgres(url, { migrate: false, maxConnections: 1, closeTimeoutSeconds: 1 }).pipe(
        Effect.flatMap((database) => database.run((db) => db.execute(statement)))
      )
    )
  )

export interface FreshDatabase {
  /** The PostgreSQL URL, or null on PGlite (the app then opens `<dataDir>/pglite`). */
  readonly url: string | null
  readonly dataDir: string
  readonly drop: () => Promise<void>
}

/**
 * A database of this file's own: a new database on the server of DATABASE_URL, or a PGlite data folder
 * seeded from the migrated template (no initdb). `setup` statements run on it before any app opens it.
 */
export const freshDatabase = async (setup: ReadonlyArray<string> = []): Promise<FreshDatabase> => {
  const dataDir = await mkdtemp(join(tmpdir(), "sciple-reliability-"))
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl === undefined || serverUrl === "") {
    await seedPgliteDataDir(dataDir)
    return { url: null, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) }
  }
  const name = `reliability_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
  await onServer(serverUrl, `create database "${name}"`)
  for (const statement of setup) await onServer(serverUrl, statement.replaceAll("$DATABASE", `"${name}"`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      await onServer(serverUrl, `drop database if exists "${name}" with (force)`)
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

export interface App {
  readonly url: string
  readonly running: Running
  /** The app's own open database, for reading rows and planting faults the way an operator could. */
  readonly db: DrizzleDatabaseShape
  readonly close: () => Promise<void>
}

/** The app as `pnpm start` composes it, on `database`, with an administrator from ADMIN_EMAIL. */
export const startApp = async (
  database: FreshDatabase,
  options: { readonly env?: Readonly<Record<string, string>>; readonly start?: StartOptions } = {}
): Promise<App> => {
  const settings = readSettings({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: database.dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.RELIABILITY_LOG ?? "None",
    ...(database.url === null ? {} : { DATABASE_URL: database.url }),
    ...options.env
  })
  if (Result.isFailure(settings)) throw new Error(`settings: ${settings.failure.join(" ")}`)
  const running = await start(settings.success, { log: () => {}, ...options.start })
  // The composed runtime holds the database too; AppDeps only types the ports the routes use.
  const db = Option.getOrThrow(Context.getOption(await running.deps.runtime.context(), DrizzleDatabase))
  return { url: running.url, running, db, close: () => running.close() }
}

/** The rows of a statement, whichever driver answered (postgres.js: an array; PGlite: `{ rows }`). */
export const rows = async (
  db: DrizzleDatabaseShape,
  statement: string
): Promise<ReadonlyArray<Readonly<Record<string, unknown>>>> => {
  const result: unknown = await Effect.runPromise(db.run((d) => d.execute(statement)))
  if (Array.isArray(result)) return result
  if (typeof result === "object" && result !== null && "rows" in result && Array.isArray(result.rows))
    return result.rows
  return []
}

/** One number from a `select count(*)::int as n ...`. */
export const count = async (db: DrizzleDatabaseShape, statement: string): Promise<number> =>
  Number((await rows(db, statement))[0]?.n ?? Number.NaN)

/** Polls `check` until it holds (no fixed sleeps where a condition can be awaited). */
export const waitFor = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export interface Reply {
  readonly status: number
  readonly type: string
  readonly text: string
  readonly json: () => unknown
  readonly headers: Headers
}

/** A browser-like client of one app: cookies by hand, same-origin Origin header on writes. */
export class Client {
  cookie = ""
  constructor(readonly url: string) {}

  async send(
    method: string,
    path: string,
    init: { body?: string; type?: string; headers?: Record<string, string> } = {}
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookie !== "") headers.cookie = this.cookie
    if (method !== "GET") headers.origin = this.url
    if (init.type !== undefined) headers["content-type"] = init.type
    // A request the app never answers fails the test with its path instead of timing the whole test out.
    const answered = async () => {
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(15_000),
        ...(init.body === undefined ? {} : { body: init.body })
      })
      return { response, text: await response.text() }
    }
    const { response, text } = await answered().catch((error: unknown) => {
      throw new Error(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`)
    })
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      text,
      json: () => JSON.parse(text) as unknown,
      headers: response.headers
    }
  }

  /** Signs in through the sign-in form and keeps the session cookie. */
  async signIn(email: string = ADMIN.email, password: string = ADMIN.password) {
    const reply = await this.send("POST", "/login", {
      body: new URLSearchParams({ email, password, next: "/" }).toString(),
      type: "application/x-www-form-urlencoded"
    })
    const cookie = reply.headers.get("set-cookie")?.split(";")[0]
    if (reply.status !== 303 || cookie === undefined) throw new Error(`sign-in failed: ${reply.status}`)
    this.cookie = cookie
    return this
  }

  api(method: string, path: string, body?: unknown): Promise<Reply> {
    return this.send(method, path, body === undefined ? {} : { body: JSON.stringify(body), type: "application/json" })
  }

  page(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send("GET", path, { headers })
  }

  form(path: string, fields: Record<string, string>): Promise<Reply> {
    return this.send("POST", path, {
      body: new URLSearchParams(fields).toString(),
      type: "application/x-www-form-urlencoded"
    })
  }
}

/** What a problem+json answer says. */
export const problem = (reply: Reply) => {
  const body = reply.json()
  return typeof body === "object" && body !== null && "code" in body ? (body as { code: string; detail: string }) : null
}

/** The local secret store's files (`<dataDir>/secrets/<workspace>.<credential>.secret`), as credential ids. */
export const localSecretIds = async (dataDir: string): Promise<ReadonlyArray<string>> => {
  const names = await readdir(join(dataDir, "secrets")).catch(() => [])
  return names
    .filter((name) => name.endsWith(".secret"))
    .map((name) => name.slice(0, -".secret".length).split(".")[1] ?? "")
    .sort()
}

/**
 * Serves msw request handlers over real HTTP on loopback (an emulated AWS endpoint, like LocalStack), so the
 * app reaches them exactly as it reaches the real service. A network-error answer drops the connection.
 */
export const serveHandlers = async (handlers: () => ReadonlyArray<RequestHandler>) => {
  const server = createServer((incoming, outgoing) => {
    const chunks: Array<Buffer> = []
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
    incoming.on("end", () => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === "string") headers.set(name, value)
      const body = Buffer.concat(chunks)
      const request = new Request(`http://${incoming.headers.host ?? "127.0.0.1"}${incoming.url ?? "/"}`, {
        method: incoming.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {})
      })
      void getResponse([...handlers()], request).then(async (response) => {
        if (response === undefined) return outgoing.writeHead(404).end()
        if (response.type === "error") return incoming.socket.destroy()
        outgoing.writeHead(response.status, Object.fromEntries(response.headers))
        outgoing.end(Buffer.from(await response.arrayBuffer()))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
