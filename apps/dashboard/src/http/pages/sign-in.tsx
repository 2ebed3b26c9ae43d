import { UserId, WorkspaceId } from "@sciple/jira-core"
import { Effect } from "effect"
import { Hono } from "hono"
import { deleteCookie } from "hono/cookie"
import { AccountStore, createAdministrator, Membership } from "../../identity/index.ts"
import { throttleKeys } from "../../identity/login-throttle.ts"
import { safeNext } from "../../identity/safe-next.ts"
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../platform/password.ts"
import { randomToken } from "../../platform/tokens.ts"
import { LoginPage, SetupPage } from "../../views/sign-in.tsx"
import { text } from "../form-fields.ts"
import { type AppDeps, type AppEnv, run } from "../runtime.ts"
import { clientOf, isSecure, sessionCookieName, startSession } from "../session.ts"

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Sign-in, sign-out and the first administrator's setup link: the routes anyone may call. */
export const signInRoutes = (deps: AppDeps) => {
  const app = new Hono<AppEnv>()
  const demo = deps.demo === null ? null : deps.demo.users
  app.get("/login", (c) => {
    if (c.get("auth") !== null) return c.redirect("/", 303)
    return c.html(<LoginPage demo={demo} email="" error={null} next={safeNext(c.req.query("next"))} />)
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
          demo={demo}
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
        <LoginPage demo={demo} email={email} error="The email or password is not right." next={next} />,
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
        <LoginPage demo={demo} email="" error="This setup link is not valid (any more). Sign in instead." next="/" />,
        404
      )
    return c.html(<SetupPage demo={deps.demo !== null} token={token} errors={{}} values={{}} />)
  })

  app.post("/setup", async (c) => {
    const form = await c.req.parseBody()
    const token = text(form.token)
    if (!setupAllowed(token))
      return c.html(
        <LoginPage demo={demo} email="" error="This setup link is not valid (any more). Sign in instead." next="/" />,
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
      return c.html(<SetupPage demo={deps.demo !== null} token={token} errors={errors} values={values} />, 422)
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

  return app
}
