import { asViewer, DASHBOARD_VIEW, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect } from "effect"
import { type Context, Hono } from "hono"
import { createApiTokenOnce, listApiTokens, revokeApiToken } from "../../../identity/index.ts"
import { hashToken, randomToken } from "../../../platform/tokens.ts"
import { ApiTokensView } from "../../../views/api-tokens.tsx"
import { type AppDeps, run, type SignedInEnv } from "../../runtime.ts"
import type { Surface } from "../../surface.ts"
import { errorPage, isFragmentRequest, page } from "../page.tsx"

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
export const apiTokensSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()

  const render = async (
    c: Context<SignedInEnv>,
    state: { created?: string; already?: boolean; error?: string; status?: 200 | 201 | 422 } = {}
  ) => {
    const tokens = await run(deps, listApiTokens().pipe(asViewer(c.var.auth.principal)))
    return page(
      c,
      deps,
      "API tokens",
      "manage",
      <ApiTokensView
        tokens={tokens}
        canManage={c.var.auth.principal.can(SETTINGS_MANAGE)}
        now={deps.now()}
        created={state.created}
        revoked={c.req.query("done") === "revoked"}
        already={state.already === true}
        error={state.error}
        idempotencyKey={randomToken(16)}
        expiryChoices={EXPIRY_CHOICES}
        defaultExpiry={DEFAULT_EXPIRY}
      />,
      state.status ?? 200
    )
  }

  routes.get("/", (c) => render(c))

  routes.post("/", async (c) => {
    const form = await c.req.parseBody()
    const name = (typeof form.name === "string" ? form.name : "").trim()
    if (name.length === 0 || name.length > 100)
      return render(c, { error: "Name is required (at most 100 characters).", status: 422 })
    const expires = typeof form.expires === "string" && form.expires !== "" ? form.expires : DEFAULT_EXPIRY
    const choice = EXPIRY_CHOICES.find((x) => x.value === expires)
    if (choice === undefined) return render(c, { error: "Choose when the token expires.", status: 422 })
    const auth = c.var.auth
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
      }).pipe(asViewer(auth.principal))
    )
    c.header("Cache-Control", "no-store")
    if (created === null) return render(c, { already: true, status: 200 })
    return render(c, { created: secret, status: 201 })
  })

  routes.post("/:id/revoke", async (c) => {
    const result = await run(
      deps,
      revokeApiToken(c.req.param("id"), deps.now()).pipe(asViewer(c.var.auth.principal), Effect.result)
    )
    if (result._tag === "Failure") return errorPage(c, deps, result.failure)
    if (isFragmentRequest(c)) return c.body(null, 204, { "HX-Redirect": "/manage/api-tokens?done=revoked" })
    return c.redirect("/manage/api-tokens?done=revoked", 303)
  })

  // Everyone signed in has their own tokens: a token acts with its owner's permissions, whatever the role.
  return { kind: "page", base: "/manage/api-tokens", permission: DASHBOARD_VIEW, routes }
}
