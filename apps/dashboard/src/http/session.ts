import { Effect } from "effect"
import type { Context } from "hono"
import { getCookie, setCookie } from "hono/cookie"
import { clientAddress, forwardedHttps } from "../identity/client-address.ts"
import { AccountStore, type Membership, Session } from "../identity/index.ts"
import { hashToken, randomToken } from "../platform/tokens.ts"
import { type AppDeps, run } from "./runtime.ts"

/** The browser session: its cookie, how secure it is, the client's address, and starting one at sign-in. */

export const SESSION_COOKIE = "sciple_session"

const socketAddress = (c: Context): string | undefined =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress

/** Secure cookies when configured (https PUBLIC_URL, production) or when this request came over https. */
export const isSecure = (c: Context, deps: AppDeps) =>
  deps.secureCookies ||
  new URL(c.req.url).protocol === "https:" ||
  forwardedHttps(socketAddress(c), c.req.header("x-forwarded-proto"), deps.trustedProxies)

/** `__Host-` binds a Secure cookie to this exact host and path `/`: no subdomain can plant or read it. */
export const sessionCookieName = (c: Context, deps: AppDeps) =>
  isSecure(c, deps) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE

/** The client's address: the socket's, or X-Forwarded-For's through a trusted proxy (adr/0022). */
export const clientOf = (c: Context, deps: AppDeps): string =>
  clientAddress(socketAddress(c), c.req.header("x-forwarded-for"), deps.trustedProxies)

/** Starts a session for the membership and sets its cookie, ending the session the browser had before. */
export const startSession = async (c: Context, deps: AppDeps, membership: Membership) => {
  const name = sessionCookieName(c, deps)
  const old = getCookie(c, name)
  const sid = randomToken()
  const now = deps.now()
  await run(
    deps,
    Effect.gen(function* () {
      const accounts = yield* AccountStore
      // A new id at every sign-in: a session id planted before sign-in is worth nothing after it.
      if (old !== undefined && old.length < 200) yield* accounts.deleteSession(hashToken(old))
      yield* accounts.createSession(
        new Session({
          idHash: hashToken(sid),
          userId: membership.userId,
          workspaceId: membership.workspaceId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + deps.sessionTtlMs)
        })
      )
    })
  )
  setCookie(c, name, sid, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecure(c, deps),
    path: "/",
    maxAge: Math.floor(deps.sessionTtlMs / 1000)
  })
}
