import {
  asManager,
  createCredential,
  deleteCredential,
  getJiraSettings,
  rotateCredentialToken,
  SETTINGS_MANAGE
} from "@sciple/jira-core"
import { Redacted, Result } from "effect"
import { type Context, Hono } from "hono"
import { randomToken } from "../../../platform/tokens.ts"
import { CredentialsView, type CredentialValues } from "../../../views/credentials.tsx"
import { noticeOf } from "../../../views/manage.tsx"
import { fieldErrors, statusOf, type TaggedError } from "../../errors.ts"
import { text } from "../../form-fields.ts"
import { type AppDeps, attempt, type SignedInEnv } from "../../runtime.ts"
import type { Surface } from "../../surface.ts"
import { errorPage, isFragmentRequest, page } from "../page.tsx"

/** Manage › Credentials: list, add, replace a token, delete. */
export const credentialsSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()
  const manager = (c: Context<SignedInEnv>) => asManager(c.var.auth.principal)

  const credentialsPage = async (
    c: Context<SignedInEnv>,
    state: {
      errors?: Record<string, string>
      values?: Omit<CredentialValues, "idempotencyKey"> & { readonly idempotencyKey?: string | undefined }
      problem?: TaggedError
      status?: 200 | 409 | 422 | 503
    } = {}
  ) => {
    const result = await attempt(deps, getJiraSettings().pipe(manager(c)))
    if (Result.isFailure(result)) return errorPage(c, deps, result.failure)
    const { credentials, config } = result.success
    return page(
      c,
      deps,
      "Credentials",
      "manage",
      <CredentialsView
        credentials={credentials}
        inUse={config?.credentialId ?? null}
        now={deps.now()}
        notice={noticeOf(c.req.query("done"))}
        problem={state.problem ?? null}
        errors={state.errors ?? {}}
        values={{
          name: state.values?.name ?? "",
          username: state.values?.username ?? "",
          // A fresh key for a fresh form; the submitted one when the form comes back with an error.
          idempotencyKey: state.values?.idempotencyKey ?? randomToken(16)
        }}
      />,
      state.status ?? 200
    )
  }

  routes.get("/", (c) => credentialsPage(c))

  routes.post("/", async (c) => {
    const form = await c.req.parseBody()
    const key = text(form.idempotencyKey)
    const values = { name: text(form.name), username: text(form.username), idempotencyKey: key || undefined }
    if (text(form.kind || "username_password") !== "username_password" || text(form.provider || "jira") !== "jira") {
      return credentialsPage(c, {
        values,
        errors: { name: "Only username_password credentials for jira are supported." },
        status: 422
      })
    }
    const result = await attempt(
      deps,
      createCredential({ ...values, token: Redacted.make(text(form.token)) }).pipe(manager(c))
    )
    if (Result.isSuccess(result)) return c.redirect("/manage/credentials?done=created", 303)
    if (result.failure._tag === "InvalidInput") {
      const errors = fieldErrors(result.failure)
      if (errors.idempotencyKey === undefined) return credentialsPage(c, { values, errors, status: 422 })
      // A key already spent on other values: the form comes back with a new one.
      return credentialsPage(c, {
        values: { ...values, idempotencyKey: undefined },
        errors: {
          ...errors,
          idempotencyKey:
            "This form already added a credential with other values: check the list above, or submit again to add another."
        },
        status: 422
      })
    }
    if (result.failure._tag === "NotPermitted") return errorPage(c, deps, result.failure)
    return credentialsPage(c, { values, problem: result.failure, status: statusOf(result.failure) as 503 })
  })

  routes.post("/:id/delete", async (c) => {
    const result = await attempt(deps, deleteCredential(c.req.param("id")).pipe(manager(c)))
    if (Result.isSuccess(result)) {
      // htmx must see the redirect itself: a 303 would be followed by fetch and the address bar left stale.
      if (isFragmentRequest(c)) return c.body(null, 204, { "HX-Redirect": "/manage/credentials?done=deleted" })
      return c.redirect("/manage/credentials?done=deleted", 303)
    }
    if (result.failure._tag === "NotPermitted" || result.failure._tag === "NotFound")
      return errorPage(c, deps, result.failure)
    return credentialsPage(c, { problem: result.failure, status: statusOf(result.failure) as 409 })
  })

  routes.post("/:id/rotate", async (c) => {
    const form = await c.req.parseBody()
    const result = await attempt(
      deps,
      rotateCredentialToken(c.req.param("id"), Redacted.make(text(form.token))).pipe(manager(c))
    )
    if (Result.isSuccess(result)) return c.redirect("/manage/credentials?done=rotated", 303)
    if (result.failure._tag === "NotPermitted" || result.failure._tag === "NotFound")
      return errorPage(c, deps, result.failure)
    return credentialsPage(c, { problem: result.failure, status: statusOf(result.failure) as 422 })
  })

  return { kind: "page", base: "/manage/credentials", permission: SETTINGS_MANAGE, routes }
}
