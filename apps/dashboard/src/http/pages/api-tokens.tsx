import { asManager, NotPermitted, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect } from "effect"
import type { Context, Hono } from "hono"
import { createApiTokenOnce, listApiTokens, revokeApiToken } from "../../identity/index.ts"
import { hashToken, randomToken } from "../../platform/tokens.ts"
import { TextField, Time } from "../../views/components.tsx"
import { ManageNav } from "../../views/layout.tsx"
import { requireSignIn } from "../auth.tsx"
import { type AppDeps, type AppEnv, run } from "../runtime.ts"
import { errorPage, page } from "./page.tsx"

/** How long a new token lives; "never" only when chosen. */
const EXPIRY_CHOICES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "365 days" },
  { value: "never", label: "No expiry" }
] as const
const DEFAULT_EXPIRY = "90"

/** What the form's hidden idempotency key looks like: 16 random bytes, URL-safe. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/

/** Personal API tokens for the JSON API (`Authorization: Bearer …`): stored hashed, shown once. */
export const apiTokenRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  const render = async (
    c: Context<AppEnv>,
    state: { created?: string; already?: boolean; error?: string; status?: 200 | 201 | 422 } = {}
  ) => {
    const auth = c.get("auth")!
    const tokens = await run(deps, listApiTokens().pipe(asManager(auth.principal)))
    const now = deps.now()
    return page(
      c,
      deps,
      "API tokens",
      "manage",
      <>
        <h1>Manage</h1>
        <ManageNav active="tokens" />
        {state.created !== undefined && (
          <div class="notice" role="status">
            <p>
              <strong>Copy your new token now.</strong> It will not be shown again.
            </p>
            <p class="secret-once">{state.created}</p>
          </div>
        )}
        {state.already === true && (
          <div class="notice" role="status">
            <p>
              This form already created its token (a repeated submit); its secret was shown once and is not shown again.
            </p>
          </div>
        )}
        <section class="panel" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Personal API tokens</h2>
          <p class="muted">
            For the JSON API: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with your role
            in this workspace. See the <a href="/api/docs">API reference</a>.
          </p>
          {tokens.length === 0 ? (
            <p class="callout">No tokens yet.</p>
          ) : (
            <table>
              <caption class="visually-hidden">API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr>
                    <td>{t.name}</td>
                    <td>
                      <Time date={t.createdAt} now={now} />
                    </td>
                    <td>
                      {t.lastUsedAt === null ? (
                        <span class="muted">never</span>
                      ) : (
                        <Time date={t.lastUsedAt} now={now} />
                      )}
                    </td>
                    <td>
                      {t.expiresAt == null ? (
                        <span class="muted">never</span>
                      ) : (
                        <time datetime={t.expiresAt.toISOString()}>
                          {t.expiresAt.getTime() <= now.getTime() ? "expired " : ""}
                          {t.expiresAt.toISOString().slice(0, 10)}
                        </time>
                      )}
                    </td>
                    <td>
                      {t.revokedAt === null ? (
                        <form method="post" action={`/manage/api-tokens/${encodeURIComponent(t.id)}/revoke`}>
                          <button type="submit" class="danger" aria-label={`Revoke ${t.name}`}>
                            Revoke
                          </button>
                        </form>
                      ) : (
                        <span class="muted">revoked</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="panel">
          <form method="post" action="/manage/api-tokens" class="stack">
            <h2>Create a token</h2>
            {/* Random per rendered form: a double submit creates one token (idempotencyKey in the handler). */}
            <input type="hidden" name="idempotencyKey" value={randomToken(16)} />
            <TextField
              id="token-name"
              label="Name"
              name="name"
              maxlength={100}
              placeholder="Reporting script"
              error={state.error}
            />
            <label>
              Expires after
              <select name="expires" id="token-expires">
                {EXPIRY_CHOICES.map((choice) => (
                  <option value={choice.value} selected={choice.value === DEFAULT_EXPIRY}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </label>
            <div class="button-row">
              <button type="submit">Create token</button>
            </div>
          </form>
        </section>
      </>,
      state.status ?? 200
    )
  }

  // The tokens page sits under Manage, which is for settings.manage.
  const guard = (c: Context<AppEnv>) =>
    c.get("auth")!.principal.can(SETTINGS_MANAGE)
      ? null
      : errorPage(c, deps, new NotPermitted({ permission: SETTINGS_MANAGE }))

  app.get("/manage/api-tokens", requireSignIn, (c) => guard(c) ?? render(c))

  app.post("/manage/api-tokens", requireSignIn, async (c) => {
    const denied = guard(c)
    if (denied !== null) return denied
    const form = await c.req.parseBody()
    const name = (typeof form.name === "string" ? form.name : "").trim()
    if (name.length === 0 || name.length > 100)
      return render(c, { error: "Name is required (at most 100 characters).", status: 422 })
    const expires = typeof form.expires === "string" && form.expires !== "" ? form.expires : DEFAULT_EXPIRY
    const choice = EXPIRY_CHOICES.find((x) => x.value === expires)
    if (choice === undefined) return render(c, { error: "Choose when the token expires.", status: 422 })
    const auth = c.get("auth")!
    const key = typeof form.idempotencyKey === "string" ? form.idempotencyKey : ""
    if (key !== "" && !IDEMPOTENCY_KEY.test(key))
      return render(c, { error: "Reload the page and try again.", status: 422 })
    const secret = `sciple_pat_${randomToken()}`
    const created = await run(
      deps,
      createApiTokenOnce({
        // The form's key names the token, so a repeated submit finds it; per person, so keys never collide.
        id: key === "" ? randomToken(12) : hashToken(`${auth.user.id}\u0000${key}`).slice(0, 16),
        name,
        tokenHash: hashToken(secret),
        now: deps.now(),
        expiresAt: choice.value === "never" ? null : new Date(deps.now().getTime() + Number(choice.value) * 86_400_000)
      }).pipe(asManager(auth.principal))
    )
    c.header("Cache-Control", "no-store")
    if (created === null) return render(c, { already: true, status: 200 })
    return render(c, { created: secret, status: 201 })
  })

  app.post("/manage/api-tokens/:id/revoke", requireSignIn, async (c) => {
    const denied = guard(c)
    if (denied !== null) return denied
    const auth = c.get("auth")!
    const result = await run(
      deps,
      revokeApiToken(c.req.param("id"), deps.now()).pipe(asManager(auth.principal), Effect.result)
    )
    if (result._tag === "Failure") return errorPage(c, deps, result.failure)
    return c.redirect("/manage/api-tokens", 303)
  })
}
