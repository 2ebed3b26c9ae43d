import type { ConfigStore, Ids, IssueSource, SecretStore } from "@sciple/jira-core"
import { aTestWorld, FAKE_EMAIL, FAKE_TOKEN, type FakeSite } from "@sciple/jira-core/testing"
import { Layer, ManagedRuntime } from "effect"
import { createApp } from "../../src/http/app.tsx"
import type { AppDeps, AppServices } from "../../src/http/runtime.ts"
import { NO_TRUSTED_PROXIES } from "../../src/identity/client-address.ts"
import type { AccountStore } from "../../src/identity/index.ts"
import { createAdministrator } from "../../src/identity/index.ts"
import { hashPassword } from "../../src/platform/password.ts"
import { makeInMemoryAccountStore } from "./account-store.in-memory.ts"
import { makeLoginThrottleMemory } from "./login-throttle.memory.ts"

const ORIGIN = "http://localhost"
export const PASSWORD = "correct horse battery staple"

export const USERS = {
  admin: { email: "admin@one.test", workspace: "ws-1", user: "u-admin", role: "admin" },
  viewer: { email: "viewer@one.test", workspace: "ws-1", user: "u-viewer", role: "viewer" },
  otherAdmin: { email: "admin@two.test", workspace: "ws-2", user: "u-other", role: "admin" }
} as const

let passwordHash: Promise<string> | undefined

/**
 * The app over in-memory fakes of every port, with two workspaces and three users. Route tests drive it
 * through `app.request`, the same HTTP surface the browser sees.
 */
export const makeTestApp = async (
  options: {
    layer?: Layer.Layer<AppServices>
    now?: Date
    sites?: Record<string, FakeSite>
    /** Replaces the fake IssueSource, e.g. with the real Jira Cloud adapter over msw. */
    issueSource?: Layer.Layer<IssueSource>
    /** The refresh limit; off by default, since most suites refresh back to back to see each fault. */
    refreshIntervalMs?: number
  } = {}
) => {
  const world = aTestWorld({
    now: options.now ?? new Date(),
    ...(options.sites === undefined ? {} : { sites: options.sites })
  })
  const accounts = makeInMemoryAccountStore(world.config.state.audit)
  const worldLayer = options.issueSource === undefined ? world.layer : Layer.merge(world.layer, options.issueSource)
  const layer: Layer.Layer<ConfigStore | SecretStore | IssueSource | AccountStore | Ids> =
    options.layer ?? Layer.mergeAll(worldLayer, accounts.layer)
  const runtime = ManagedRuntime.make(layer)
  passwordHash ??= hashPassword(PASSWORD)
  const hash = await passwordHash
  const at = new Date("2026-01-01T00:00:00.000Z")
  for (const [name, u] of Object.entries(USERS)) {
    await runtime.runPromise(
      createAdministrator({
        workspaceId: u.workspace,
        userId: u.user,
        workspaceName: name === "otherAdmin" ? "Two" : "One",
        email: u.email,
        passwordHash: hash,
        at,
        role: u.role
      })
    )
  }
  const deps: AppDeps = {
    runtime,
    ready: async () => true,
    now: () => new Date(),
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    sessionTtlMs: 60 * 60_000,
    throttle: makeLoginThrottleMemory(),
    trustedProxies: NO_TRUSTED_PROXIES,
    secureCookies: false,
    publicOrigin: null,
    setupToken: { current: null },
    demo: null
  }
  const app = createApp(deps)

  const request = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers)
    if (init.cookie !== undefined) headers.set("cookie", init.cookie)
    if (init.method !== undefined && init.method !== "GET" && !headers.has("origin")) headers.set("origin", ORIGIN)
    return app.request(path, { ...init, headers })
  }

  const form = (path: string, fields: Record<string, string>, cookie?: string, extra: Record<string, string> = {}) =>
    request(path, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
      ...(cookie === undefined ? {} : { cookie })
    })

  /** Signs in and returns the session cookie. */
  const signIn = async (who: keyof typeof USERS) => {
    const res = await form("/login", { email: USERS[who].email, password: PASSWORD })
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`)
    const cookie = res.headers.get("set-cookie")?.split(";")[0]
    if (cookie === undefined) throw new Error("no session cookie")
    return cookie
  }

  /** Adds the fake site's credential and connects workspace 1 to it, as its admin. */
  const connect = async (cookie: string, defaultJql = "") => {
    await form("/manage/credentials", { name: "Jira bot", username: FAKE_EMAIL, token: FAKE_TOKEN }, cookie)
    const credential = [...world.config.state.credentials.values()][0]
    if (credential === undefined) throw new Error("credential not created")
    const res = await form(
      "/manage/integrations/jira",
      {
        name: "Acme Jira",
        baseUrl: "https://acme.atlassian.net",
        credentialId: credential.id,
        defaultJql,
        version: ""
      },
      cookie
    )
    if (res.status !== 303) throw new Error(`connect failed: ${res.status} ${await res.text()}`)
    world.jira.calls.length = 0
    return credential
  }

  return { app, deps, world, accounts, runtime, request, form, signIn, connect, dispose: () => runtime.dispose() }
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>
