import { Principal, permissionsOf, SETTINGS_MANAGE, UserId, WorkspaceId } from "@sciple/jira-core"
import { Effect } from "effect"
import type { Context, Hono, MiddlewareHandler } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { clientAddress, forwardedHttps } from "../identity/client-address.ts"
import { AccountStore, Membership, Session, User, Workspace } from "../identity/index.ts"
import { throttleKeys } from "../identity/login-throttle.ts"
import { safeNext } from "../identity/safe-next.ts"
import { DUMMY_HASH, hashPassword, verifyPassword } from "../platform/password.ts"
import { hashToken, randomToken } from "../platform/tokens.ts"
import { TextField } from "../views/components.tsx"
import { Layout, type Viewer } from "../views/layout.tsx"
import { type AppDeps, type AppEnv, type Auth, run } from "./runtime.ts"

export const SESSION_COOKIE = "sciple_session"

const socketAddress = (c: Context): string | undefined =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress

/** Secure cookies when configured (https PUBLIC_URL, production) or when this request came over https. */
const isSecure = (c: Context, deps: AppDeps) =>
  deps.secureCookies ||
  new URL(c.req.url).protocol === "https:" ||
  forwardedHttps(socketAddress(c), c.req.header("x-forwarded-proto"), deps.trustedProxies)

/** `__Host-` binds a Secure cookie to this exact host and path `/`: no subdomain can plant or read it. */
export const sessionCookieName = (c: Context, deps: AppDeps) =>
  isSecure(c, deps) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE

/** The client's address: the socket's, or X-Forwarded-For's through a trusted proxy (adr/0022). */
export const clientOf = (c: Context, deps: AppDeps): string =>
  clientAddress(socketAddress(c), c.req.header("x-forwarded-for"), deps.trustedProxies)

/** The signed-in viewer for the layout, or null. */
export const viewerOf = (auth: Auth | null): Viewer | null =>
  auth === null
    ? null
    : { email: auth.user.email, workspaceName: auth.workspace.name, canManage: auth.principal.can(SETTINGS_MANAGE) }

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
      return c.json(
        {
          type: "https://sciple.dev/problems/unauthenticated",
          title: "Unauthenticated",
          status: 401,
          code: "Unauthenticated",
          detail:
            expiredAt === null
              ? "The API token is not valid or was revoked."
              : `The API token expired on ${expiredAt.toISOString().slice(0, 10)}; create a new one on Manage › API tokens.`
        },
        401,
        { "content-type": "application/problem+json", "www-authenticate": 'Bearer realm="sciple"' }
      )
    }
    return next()
  }

/** Pages need a signed-in user; anonymous visitors go to the sign-in page and come back after. */
export const requireSignIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("auth") !== null) return next()
  const target = `/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""))}`
  if (c.req.header("hx-request") !== undefined) {
    c.header("HX-Redirect", target)
    return c.body(null, 401)
  }
  return c.redirect(target, 303)
}

const LoginPage = (props: { deps: AppDeps; email: string; error: string | null; next: string }) => (
  <Layout title="Sign in" viewer={null} section="none" demo={props.deps.demo !== null}>
    <section class="login panel">
      <h1>Sign in to Sciple</h1>
      {props.deps.demo !== null && (
        <div class="demo-credentials">
          <strong>Demo accounts</strong>
          <ul>
            {props.deps.demo.users.map((u) => (
              <li>
                <code>{u.email}</code> / <code>{u.password}</code> ({u.role})
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.error !== null && (
        <p class="error-panel" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="next" value={props.next} />
        <label>
          Email
          <input type="email" name="email" autocomplete="username" required value={props.email} />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <div class="button-row">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </section>
  </Layout>
)

const SetupPage = (props: {
  deps: AppDeps
  token: string
  errors: Record<string, string>
  values: Record<string, string>
}) => (
  <Layout title="Create the first administrator" viewer={null} section="none" demo={props.deps.demo !== null}>
    <section class="login panel">
      <h1>Create the first administrator</h1>
      <p class="muted">This link works once, until the first account exists.</p>
      <form method="post" action="/setup" class="stack">
        <input type="hidden" name="token" value={props.token} />
        <TextField
          id="workspace"
          label="Workspace name"
          name="workspace"
          maxlength={100}
          value={props.values.workspace ?? ""}
          error={props.errors.workspace}
        />
        <TextField
          id="email"
          label="Email"
          type="email"
          name="email"
          autocomplete="username"
          value={props.values.email ?? ""}
          error={props.errors.email}
        />
        <TextField
          id="password"
          label="Password"
          hint="At least 12 characters."
          type="password"
          name="password"
          minlength={12}
          autocomplete="new-password"
          error={props.errors.password}
        />
        <button type="submit">Create administrator</button>
      </form>
    </section>
  </Layout>
)

const text = (value: unknown): string => (typeof value === "string" ? value : "")

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Creates a workspace with its first administrator (setup link, ADMIN_EMAIL/ADMIN_PASSWORD, or the demo). */
export const createAdministrator = (input: {
  readonly workspaceId: string
  readonly userId: string
  readonly workspaceName: string
  readonly email: string
  readonly passwordHash: string
  readonly at: Date
  readonly role?: "admin" | "viewer"
}) =>
  Effect.gen(function* () {
    const accounts = yield* AccountStore
    const workspaceId = WorkspaceId.make(input.workspaceId)
    const userId = UserId.make(input.userId)
    if ((yield* accounts.getWorkspace(workspaceId)) === null) {
      yield* accounts.createWorkspace(
        new Workspace({ id: workspaceId, name: input.workspaceName, createdAt: input.at })
      )
    }
    yield* accounts.createUser(
      new User({
        id: userId,
        email: input.email.toLowerCase(),
        displayName: input.email.split("@")[0] ?? "",
        passwordHash: input.passwordHash,
        createdAt: input.at
      })
    )
    yield* accounts.putMembership(new Membership({ userId, workspaceId, role: input.role ?? "admin" }))
  })

const startSession = async (c: Context<AppEnv>, deps: AppDeps, membership: Membership) => {
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

export const authRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  app.get("/login", (c) => {
    if (c.get("auth") !== null) return c.redirect("/", 303)
    return c.html(<LoginPage deps={deps} email="" error={null} next={safeNext(c.req.query("next"))} />)
  })

  app.post("/login", async (c) => {
    const form = await c.req.parseBody()
    const email = text(form.email).trim().toLowerCase().slice(0, 254)
    const password = text(form.password).slice(0, 1024)
    const next = safeNext(text(form.next))
    const keys = throttleKeys(email, clientOf(c, deps))
    // Reserved before the password is checked: a burst gets the limit's worth of checks, no more.
    const reservation = await run(deps, deps.throttle.reserve(keys, deps.now()))
    if (!reservation.allowed) {
      const wait = reservation.retryAfterSeconds
      c.header("Retry-After", String(wait))
      return c.html(
        <LoginPage
          deps={deps}
          email={email}
          error={`Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} min.`}
          next={next}
        />,
        429
      )
    }
    const found = await run(
      deps,
      Effect.gen(function* () {
        const accounts = yield* AccountStore
        const user = yield* accounts.findUserByEmail(email)
        const memberships = user === null ? [] : yield* accounts.listMemberships(user.id)
        return { user, membership: memberships[0] ?? null }
      })
    )
    // Unknown email and wrong password take the same time and get the same answer.
    const ok = await verifyPassword(password, found.user?.passwordHash ?? DUMMY_HASH)
    if (!ok || found.user === null || found.membership === null) {
      return c.html(
        <LoginPage deps={deps} email={email} error="The email or password is not right." next={next} />,
        401
      )
    }
    await run(deps, deps.throttle.succeeded(keys))
    await startSession(c, deps, found.membership)
    return c.redirect(next, 303)
  })

  app.post("/logout", async (c) => {
    const auth = c.get("auth")
    if (auth?.sessionHash != null) {
      const hash = auth.sessionHash
      await run(
        deps,
        AccountStore.use((accounts) => accounts.deleteSession(hash))
      )
    }
    deleteCookie(c, sessionCookieName(c, deps), { path: "/", secure: isSecure(c, deps) })
    return c.redirect("/login", 303)
  })

  const setupAllowed = (token: string) =>
    deps.setupToken.current !== null && token.length > 0 && token === deps.setupToken.current

  app.get("/setup", (c) => {
    const token = c.req.query("token") ?? ""
    if (!setupAllowed(token))
      return c.html(
        <LoginPage deps={deps} email="" error="This setup link is not valid (any more). Sign in instead." next="/" />,
        404
      )
    return c.html(<SetupPage deps={deps} token={token} errors={{}} values={{}} />)
  })

  app.post("/setup", async (c) => {
    const form = await c.req.parseBody()
    const token = text(form.token)
    if (!setupAllowed(token))
      return c.html(
        <LoginPage deps={deps} email="" error="This setup link is not valid (any more). Sign in instead." next="/" />,
        404
      )
    const values = { workspace: text(form.workspace).trim(), email: text(form.email).trim().toLowerCase() }
    const password = text(form.password)
    const errors: Record<string, string> = {}
    if (values.workspace.length === 0 || values.workspace.length > 100)
      errors.workspace = "Workspace name is required (at most 100 characters)."
    if (!EMAIL.test(values.email) || values.email.length > 254) errors.email = "Enter an email address."
    if (password.length < 12 || password.length > 1024) errors.password = "The password must be at least 12 characters."
    if (Object.keys(errors).length > 0)
      return c.html(<SetupPage deps={deps} token={token} errors={errors} values={values} />, 422)
    deps.setupToken.current = null
    const at = deps.now()
    const workspaceId = randomToken(12)
    const userId = randomToken(12)
    await run(
      deps,
      createAdministrator({
        workspaceId,
        userId,
        workspaceName: values.workspace,
        email: values.email,
        passwordHash: await hashPassword(password),
        at
      })
    )
    await startSession(
      c,
      deps,
      new Membership({ userId: UserId.make(userId), workspaceId: WorkspaceId.make(workspaceId), role: "admin" })
    )
    return c.redirect("/manage/credentials", 303)
  })
}
