import type { ConfigStore, Ids, IssueSource, Principal, SecretStore } from "@sciple/jira-core"
import { Effect, type ManagedRuntime, type Result } from "effect"
import type { Context } from "hono"
import type { TrustedProxies } from "../identity/client-address.ts"
import type { AccountStore, User, Workspace } from "../identity/index.ts"
import type { LoginThrottleShape } from "../identity/login-throttle.ts"
import { underRequestSpan } from "../observability/request-context.ts"

/** Every port the app's use cases need; the composition root provides them. */
export type AppServices = ConfigStore | SecretStore | IssueSource | AccountStore | Ids

export interface Auth {
  readonly principal: Principal
  readonly user: User
  readonly workspace: Workspace
  /** How the request signed in: a browser session (cookie) or a personal API token. */
  readonly via: "session" | "token"
  readonly sessionHash: string | null
}

/** A signed-in `?refresh=1`: let through to Jira, or limited to the cached answers (refresh-limit.ts). */
type RefreshDecision = "fresh" | "limited"

/** Every request: who is asking (`resolveAuth`), null when nobody signed in. */
export interface AppEnv {
  Variables: {
    auth: Auth | null
    refresh?: RefreshDecision
  }
}

/**
 * A surface's requests (surface.ts): its sign-in guard ran first, so `auth` is the signed-in person and no
 * route asserts it. Only `mountSurface` mounts a sub-app of this kind, always behind that guard (adr/0030).
 */
export interface SignedInEnv {
  Variables: {
    auth: Auth
    refresh?: RefreshDecision
  }
}

/** A request's context, on a surface or not: what the page helpers and the refresh limit read. */
export type RequestContext = Context<AppEnv> | Context<SignedInEnv>

export interface DemoInfo {
  /** Shown on the demo's sign-in page only. */
  readonly users: ReadonlyArray<{ readonly email: string; readonly password: string; readonly role: string }>
}

export interface AppDeps {
  readonly runtime: ManagedRuntime.ManagedRuntime<AppServices, unknown>
  /** Reads the database; `/readyz` answers from it. */
  readonly ready: () => Promise<boolean>
  readonly now: () => Date
  /** How long Jira answers are fresh (the cache's TTL): an older one on a page is being refreshed. */
  readonly jiraFreshForMs?: number
  /** A person's refresh within this of their last one in the workspace reuses the cache (10 s by default). */
  readonly refreshIntervalMs?: number
  readonly sessionTtlMs: number
  readonly throttle: LoginThrottleShape
  /** Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (TRUSTED_PROXIES). */
  readonly trustedProxies: TrustedProxies
  /** Session cookies are Secure (and `__Host-`) whatever the request says: https PUBLIC_URL or production. */
  readonly secureCookies: boolean
  /** PUBLIC_URL's origin: a same-origin request behind a TLS-terminating proxy names it, not the inner URL. */
  readonly publicOrigin: string | null
  /** The one-time token of the first-administrator link, while no user exists. */
  readonly setupToken: { current: string | null }
  readonly demo: DemoInfo | null
}

/** Runs an effect for a request; its typed failure comes back as a value, a defect as a rejection. */
export const attempt = <A, E>(deps: AppDeps, effect: Effect.Effect<A, E, AppServices>): Promise<Result.Result<A, E>> =>
  deps.runtime.runPromise(Effect.result(effect).pipe(underRequestSpan))

/** Runs an effect that cannot fail in a typed way (store reads the caller treats as fatal). */
export const run = <A, E>(deps: AppDeps, effect: Effect.Effect<A, E, AppServices>): Promise<A> =>
  deps.runtime.runPromise(underRequestSpan(effect))
