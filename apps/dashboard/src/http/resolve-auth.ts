import { Principal, permissionsOf } from "@sciple/jira-core"
import { Effect } from "effect"
import type { MiddlewareHandler } from "hono"
import { getCookie } from "hono/cookie"
import { AccountStore, type Membership } from "../identity/index.ts"
import { hashToken } from "../platform/tokens.ts"
import { edgeProblem } from "./problems.ts"
import { type AppDeps, type AppEnv, type Auth, run } from "./runtime.ts"
import { sessionCookieName } from "./session.ts"

const principalOf = (membership: Membership) =>
  new Principal({
    userId: membership.userId,
    workspaceId: membership.workspaceId,
    permissions: [...permissionsOf(membership.role)]
  })

/** Resolves who is asking: a Bearer API token, else the session cookie. Sets `auth` (null when anonymous). */
export const resolveAuth =
  (deps: AppDeps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("auth", null)
    const header = c.req.header("authorization")
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const sid = getCookie(c, sessionCookieName(c, deps))
    const found: Auth | { readonly expiredAt: Date } | null = await run(
      deps,
      Effect.gen(function* () {
        const accounts = yield* AccountStore
        const now = deps.now()
        let membership: Membership | null = null
        let sessionHash: string | null = null
        let via: Auth["via"] = "session"
        if (bearer !== undefined) {
          via = "token"
          const used = yield* accounts.useApiToken(hashToken(bearer), now)
          const expiresAt = used?.token.expiresAt ?? null
          if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) return { expiredAt: expiresAt }
          membership = used?.membership ?? null
        } else if (sid !== undefined && sid.length > 0 && sid.length < 200) {
          sessionHash = hashToken(sid)
          const session = yield* accounts.findSession(sessionHash)
          if (session !== null && session.session.expiresAt.getTime() > now.getTime()) membership = session.membership
        }
        if (membership === null) return null
        const [user, workspace] = yield* Effect.all([
          accounts.getUser(membership.userId),
          accounts.getWorkspace(membership.workspaceId)
        ])
        if (user === null || workspace === null) return null
        return { principal: principalOf(membership), user, workspace, via, sessionHash } satisfies Auth
      })
    )
    const expiredAt = found !== null && "expiredAt" in found ? found.expiredAt : null
    c.set("auth", found === null || "expiredAt" in found ? null : found)
    if (bearer !== undefined && c.get("auth") === null && c.req.path.startsWith("/api/")) {
      return edgeProblem(
        c,
        "Unauthenticated",
        401,
        expiredAt === null
          ? "The API token is not valid or was revoked."
          : `The API token expired on ${expiredAt.toISOString().slice(0, 10)}; create a new one on Manage › API tokens.`,
        { headers: { "www-authenticate": 'Bearer realm="sciple"' } }
      )
    }
    return next()
  }
