import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { openPostgres } from "@sciple/drizzle-postgres"
import { seedPgliteDataDir } from "@sciple/drizzle-postgres/testing"
import {
  createJiraSimulator,
  DEMO_ACCOUNT,
  DEMO_SITE,
  type RunningServer,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import { Effect, Result } from "effect"
import { AccountStore, ApiToken } from "../../src/identity/index.ts"
import { hashToken, randomToken } from "../../src/platform/tokens.ts"
import { type Running, start } from "../../src/server.ts"
import { readSettings } from "../../src/settings.ts"

/**
 * Two app instances on one PostgreSQL, each with its caches warm: what one instance changes, the other serves as
 * soon as the change notice reaches it, well inside the caches' 5 s TTL (so the notice did it, not the TTL). A
 * notice is not a read-your-writes guarantee (src/caching/README.md): on a busy machine B may serve one request
 * in the instant before it arrives, so B is asked until it shows the change, within NOTICE_BOUND_MS. On PGlite,
 * which one process owns, one instance: its own writes drop its caches before they return.
 */
const ADMIN = { email: "admin@instances.test", password: "instances-password" } as const
const serverUrl = process.env.DATABASE_URL ?? ""
const twoInstances = serverUrl !== ""

/** Well under the caches' TTL (CACHE_TTL_MS, 5 s): a change seen within it was dropped by its notice. */
const NOTICE_BOUND_MS = 2_500

/** Asks `probe` until it holds (then returns how long that took), or fails once NOTICE_BOUND_MS has passed. */
const within = async (what: string, probe: () => Promise<boolean>): Promise<number> => {
  const started = performance.now()
  for (;;) {
    if (await probe()) return performance.now() - started
    if (!twoInstances || performance.now() - started > NOTICE_BOUND_MS)
      throw new Error(`${what}: not seen within ${twoInstances ? NOTICE_BOUND_MS : 0} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs one statement on the PostgreSQL server, over a connection of its own. */
const onServer = (statement: string) =>
  Effect.runPromise(
    Effect.scoped(
      openPostgres(serverUrl, { migrate: false, maxConnections: 1, closeTimeoutSeconds: 1 }).pipe(
        Effect.flatMap((database) => database.run((db) => db.execute(statement)))
      )
    )
  )

let simulator: RunningServer
let dataDir: string
let databaseName: string | null = null
let a: Running
let b: Running
let cookie: string
let apiToken: string
let apiTokenId: string

const startInstance = async (databaseUrl: string | null) => {
  const settings = readSettings({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "None",
    ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl })
  })
  if (Result.isFailure(settings)) throw new Error(settings.failure.join(" "))
  return start(settings.success, { routeHosts: { [new URL(DEMO_SITE).host]: simulator.url }, log: () => {} })
}

const call = (instance: Running, path: string, init: RequestInit = {}) =>
  fetch(`${instance.url}${path}`, { redirect: "manual", ...init })

const api = (instance: Running, path: string, method = "GET", body?: unknown) =>
  call(instance, path, {
    method,
    headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

const page = (instance: Running, path: string) => call(instance, path, { headers: { cookie } })

const signIn = async (instance: Running) => {
  const res = await call(instance, "/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: instance.url },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString()
  })
  const set = res.headers.get("set-cookie")?.split(";")[0]
  if (res.status !== 303 || set === undefined) throw new Error(`sign-in failed: ${res.status}`)
  return set
}

/** Creates an API token of the administrator's through the store, as the API tokens page does. */
const createApiToken = async (instance: Running) => {
  const secret = `sciple_pat_${randomToken()}`
  const id = randomToken(12)
  await instance.deps.runtime.runPromise(
    Effect.gen(function* () {
      const accounts = yield* AccountStore
      const user = yield* accounts.findUserByEmail(ADMIN.email)
      const membership = user === null ? undefined : (yield* accounts.listMemberships(user.id))[0]
      if (membership === undefined) return yield* Effect.die(new Error("no administrator"))
      yield* accounts.createApiToken(
        new ApiToken({
          id,
          userId: membership.userId,
          workspaceId: membership.workspaceId,
          name: "instances",
          tokenHash: hashToken(secret),
          createdAt: new Date(),
          lastUsedAt: null,
          revokedAt: null
        })
      )
    })
  )
  return { secret, id }
}

beforeAll(async () => {
  const at = new Date()
  simulator = await startJiraSimulatorServer(createJiraSimulator({ now: () => at }), { port: 0, host: "127.0.0.1" })
  // One data folder for both: the local secret store's key and files are shared like a mounted volume.
  dataDir = await mkdtemp(join(tmpdir(), "sciple-instances-"))
  let databaseUrl: string | null = null
  if (twoInstances) {
    databaseName = `instances_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`
    await onServer(`create database "${databaseName}"`)
    const url = new URL(serverUrl)
    url.pathname = `/${databaseName}`
    databaseUrl = url.toString()
  } else {
    await seedPgliteDataDir(dataDir)
  }
  a = await startInstance(databaseUrl)
  b = twoInstances ? await startInstance(databaseUrl) : a
  ;({ secret: apiToken, id: apiTokenId } = await createApiToken(a))
  const credential = await api(a, "/api/v1/credentials", "POST", {
    name: "Demo bot",
    username: DEMO_ACCOUNT.email,
    token: DEMO_ACCOUNT.apiToken
  })
  const { id: credentialId } = (await credential.json()) as { id: string }
  const connected = await api(a, "/api/v1/jira/config", "POST", {
    name: "Demo Jira",
    baseUrl: DEMO_SITE,
    credentialId,
    defaultJql: "project = DEMO ORDER BY updated DESC"
  })
  if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${await connected.text()}`)
  cookie = await signIn(a)
}, 120_000)

afterAll(async () => {
  await a?.close()
  if (b !== a) await b?.close()
  await simulator?.close()
  if (databaseName !== null) await onServer(`drop database if exists "${databaseName}" with (force)`)
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
})

describe(twoInstances ? "two instances on one PostgreSQL" : "one instance on PGlite", () => {
  it("a configuration change on A is on B's pages and summary once its notice arrives", async () => {
    // B's caches warm: the page, the session, the configuration, the credential, the secret.
    for (let i = 0; i < 2; i++) {
      expect(await (await page(b, "/")).text()).toContain("project = DEMO ORDER BY updated DESC")
      expect(((await (await api(b, "/api/v1/jira/summary")).json()) as { jql: string }).jql).toBe(
        "project = DEMO ORDER BY updated DESC"
      )
    }
    const current = (await (await api(a, "/api/v1/jira/config")).json()) as {
      config: { version: number; credentialId: string }
    }
    const changed = await api(a, "/api/v1/jira/config", "PUT", {
      name: "Renamed Jira",
      baseUrl: DEMO_SITE,
      credentialId: current.config.credentialId,
      defaultJql: "project = DEMO AND statusCategory != Done",
      version: current.config.version
    })
    expect(changed.status).toBe(200)
    await within("the new JQL on B's home page", async () =>
      (await (await page(b, "/")).text()).includes("project = DEMO AND statusCategory != Done")
    )
    const summary = (await (await api(b, "/api/v1/jira/summary")).json()) as { jql: string; connectionName: string }
    expect(summary).toMatchObject({ connectionName: "Renamed Jira", jql: "project = DEMO AND statusCategory != Done" })
  })

  it("a revoked API token fails on B once the notice arrives", async () => {
    expect((await api(b, "/api/v1/jira/config")).status).toBe(200)
    expect((await api(b, "/api/v1/jira/config")).status).toBe(200)
    const revoked = await call(a, `/manage/api-tokens/${apiTokenId}/revoke`, {
      method: "POST",
      headers: { cookie, origin: a.url, "content-type": "application/x-www-form-urlencoded" },
      body: ""
    })
    expect(revoked.status).toBe(303)
    await within("the revoked token refused on B", async () => (await api(b, "/api/v1/jira/config")).status === 401)
    expect((await api(b, "/api/v1/jira/config")).status).toBe(401)
  })

  it("sign-out on A ends the session on B once the notice arrives", async () => {
    expect((await page(b, "/")).status).toBe(200)
    expect((await page(b, "/projects")).status).toBe(200)
    const out = await call(a, "/logout", { method: "POST", headers: { cookie, origin: a.url } })
    expect(out.status).toBe(303)
    await within("the session ended on B", async () => (await page(b, "/")).status === 303)
    const after = await page(b, "/")
    expect(after.status).toBe(303)
    expect(after.headers.get("location")).toMatch(/^\/login/)
    expect((await page(b, "/projects")).status).toBe(303)
  })
})
