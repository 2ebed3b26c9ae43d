import { Context, Effect, Layer, Predicate } from "effect"
import type { Context as HonoContext, MiddlewareHandler } from "hono"
import type { AppEnv, Auth } from "../http/runtime.ts"
import { SESSION_COOKIE } from "../http/session.ts"
import { AccountStore } from "../identity/index.ts"
import { hashToken } from "../platform/tokens.ts"
import { Change, ChangeFeed, subscribeScoped } from "./change-feed.ts"
import { CACHE_TTL_MS, TtlCache } from "./ttl-cache.ts"

export interface PageCacheOptions {
  /** How long a rendered page is served (default CACHE_TTL_MS). */
  readonly ttlMs?: number
  /** Pages kept at most (default 1,000), and their bytes at most (default 16 MiB); the oldest go first. */
  readonly maxEntries?: number
  readonly maxBytes?: number
  /** The clock, in milliseconds (default Date.now). */
  readonly now?: () => number
}

/**
 * When the session of this hash expires (ms since the epoch), or null when there is no such session.
 * @internal exported for its tests
 */
export type SessionExpiry = (idHash: string) => Promise<number | null>

/** How the request signs in, as the sign-in check reads it: a Bearer token first, else the session cookie. */
type Credential = { readonly via: "session" | "token"; readonly hash: string }

interface Page {
  readonly workspaceId: string
  readonly userId: string
  readonly credential: Credential
  /** Encoded once, when stored: a hit writes the bytes as they are. */
  readonly body: Uint8Array<ArrayBuffer>
  readonly headers: Readonly<Record<string, string>>
}

export interface PageCacheShape {
  /** Goes before the sign-in check, which a hit skips (see `makePageCache`). */
  readonly middleware: MiddlewareHandler<AppEnv>
  readonly drop: (change: Change) => void
  readonly stats: { hits: number; misses: number }
  readonly size: () => number
}

/**
 * The dashboard's pages and htmx fragments (`/`, `/projects...`, `/fragments/...`): an allow-list, so a new
 * page is not cached until someone decides it may be. `/manage/*` (forms, tokens shown once), `/api/`,
 * sign-in and static files never are.
 */
const isCacheablePath = (path: string) =>
  path === "/" || path === "/projects" || path.startsWith("/projects/") || path.startsWith("/fragments/")

/** Request headers a page's HTML depends on (htmx asks for fragments with them). */
const VARYING_HEADERS = ["hx-request", "hx-target", "hx-history-restore-request"] as const

/**
 * A request header, from the Node request when there is one: `c.req.header` makes @hono/node-server build a
 * whole web Request, a good part of what a hit would otherwise cost.
 */
const requestHeader = (c: HonoContext<AppEnv>, name: string): string | undefined => {
  const env: unknown = c.env
  if (Predicate.hasProperty(env, "incoming") && Predicate.hasProperty(env.incoming, "headers")) {
    const headers = env.incoming.headers
    const value = Predicate.hasProperty(headers, name) ? headers[name] : undefined
    return typeof value === "string" ? value : undefined
  }
  return c.req.header(name)
}

const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;)\\s*(?:__Host-)?${SESSION_COOKIE}=([^;]*)`)

/**
 * How `resolveAuth` (`http/resolve-auth.ts`) reads the request: a Bearer token first, else the session cookie; null
 * when anonymous. Should a crafted header read differently here, the page is simply not stored: it is kept
 * only when the sign-in check signed the request in with this very credential.
 */
const credentialOf = (c: HonoContext<AppEnv>): Credential | null => {
  const bearer = requestHeader(c, "authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer !== undefined) return { via: "token", hash: hashToken(bearer) }
  const sid = requestHeader(c, "cookie")?.match(SESSION_COOKIE_VALUE)?.[1]?.trim()
  return sid !== undefined && sid.length > 0 && sid.length < 200 ? { via: "session", hash: hashToken(sid) } : null
}

/** Whether the sign-in check signed the request in with the credential the page is keyed by. */
const signedInWith = (auth: Auth | null, credential: Credential): auth is Auth =>
  auth !== null && auth.via === credential.via && (credential.via === "token" || auth.sessionHash === credential.hash)

/** An error shown to the person (a Jira failure inside a 200 page) is never kept: the next view tries again. */
const showsAnError = (body: string) => body.includes('role="alert"')

/**
 * Rendered pages from memory for a short TTL, keyed by the request's session (or API token), URL and htmx
 * headers: a page is only ever served to the sign-in it was rendered for, so the key also fixes the
 * workspace, the person and their permissions. A hit skips the sign-in check (most of a warm view's cost),
 * so an entry is dropped by every notice that would change that check's answer, like the session cache: its
 * session's (sign-out), any session sweep, any token change (revocation), the person's account (a role
 * change) and the workspace's (also a configuration or credential change, on any instance); and it never
 * outlives its session. `?refresh=1` is never served from here and drops the workspace's pages on this
 * instance, since it fetched fresh Jira answers. A page's relative times ("fetched 10 s ago") are frozen for
 * at most the TTL.
 * @internal exported for its tests
 */
export const makePageCache = (sessionExpiry: SessionExpiry, options: PageCacheOptions = {}): PageCacheShape => {
  const now = options.now ?? Date.now
  const pages = new TtlCache<Page>({
    ttlMs: options.ttlMs ?? CACHE_TTL_MS,
    maxEntries: options.maxEntries ?? 1_000,
    maxWeight: options.maxBytes ?? 16 * 1024 * 1024,
    weigh: (page) => page.body.byteLength
  })
  const stats = { hits: 0, misses: 0 }

  const drop = (change: Change) => {
    switch (change._tag) {
      case "Workspace":
        return pages.deleteWhere((page) => page.workspaceId === change.workspaceId)
      case "Account":
        return pages.deleteWhere((page) => page.userId === change.userId)
      case "Session":
        return pages.deleteWhere((page) => page.credential.via === "session" && page.credential.hash === change.idHash)
      case "Sessions":
        return pages.deleteWhere((page) => page.credential.via === "session")
      case "Tokens":
        return pages.deleteWhere((page) => page.credential.via === "token")
      case "Everything":
        return pages.clear()
    }
  }

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method !== "GET" || !isCacheablePath(c.req.path)) return next()
    const credential = credentialOf(c)
    if (credential === null) return next()
    // The refresh control, read as the pages read it (`wantsFresh`).
    if (c.req.query("refresh") === "1") {
      await next()
      const auth = c.get("auth")
      if (signedInWith(auth, credential)) drop(Change.workspace(auth.workspace.id))
      return
    }
    const key = [
      credential.via,
      credential.hash,
      c.req.url,
      ...VARYING_HEADERS.map((name) => requestHeader(c, name) ?? "")
    ].join("\u0000")
    const started = now()
    const hit = pages.get(key, started)
    if (hit !== undefined) {
      stats.hits++
      return c.body(hit.body, 200, hit.headers)
    }
    stats.misses++
    const mark = pages.mark()
    await next()
    const auth = c.get("auth")
    const res = c.res
    if (!signedInWith(auth, credential) || res.status !== 200 || res.headers.has("set-cookie")) return
    if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) return
    const body = new Uint8Array(await res.clone().arrayBuffer())
    if (showsAnError(new TextDecoder().decode(body))) return
    const until = credential.via === "session" ? await sessionExpiry(credential.hash) : Number.POSITIVE_INFINITY
    if (until === null) return
    const headers: Record<string, string> = {}
    res.headers.forEach((value, name) => {
      if (name !== "content-length") headers[name] = value
    })
    pages.set(
      key,
      { workspaceId: auth.workspace.id, userId: auth.user.id, credential, body, headers },
      now(),
      mark,
      Math.min(started + pages.options.ttlMs, until)
    )
  }

  return { middleware, drop, stats, size: () => pages.size }
}

/**
 * A session's expiry from the AccountStore (its cache, after the sign-in check that just read it).
 * @internal exported for its tests
 */
export const sessionExpiryFrom =
  (accounts: AccountStore["Service"]): SessionExpiry =>
  (idHash) =>
    Effect.runPromise(
      accounts.findSession(idHash).pipe(
        Effect.map((found) => found?.session.expiresAt.getTime() ?? null),
        Effect.orElseSucceed(() => null)
      )
    )

/** The app's page cache, dropped by the ChangeFeed; `createApp` takes its middleware. */
export class PageCache extends Context.Service<PageCache, PageCacheShape>()("@sciple/dashboard/PageCache") {
  static readonly layer = (options: PageCacheOptions = {}): Layer.Layer<PageCache, never, ChangeFeed | AccountStore> =>
    Layer.effect(
      PageCache,
      Effect.gen(function* () {
        const cache = makePageCache(sessionExpiryFrom(yield* AccountStore), options)
        yield* subscribeScoped(yield* ChangeFeed, cache.drop)
        return cache
      })
    )
}
