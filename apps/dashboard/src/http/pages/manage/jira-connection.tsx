import {
  asManager,
  type ConnectionHealth,
  connectJira,
  DEFAULT_JQL,
  getJiraSettings,
  type JiraConfig,
  removeJira,
  SETTINGS_MANAGE,
  testConnection,
  updateJira
} from "@sciple/jira-core"
import { Result } from "effect"
import { type Context, Hono } from "hono"
import {
  ConnectionState,
  HealthBadge,
  JiraConnectionView,
  type JiraFormValues,
  labelledProblems,
  TestFailed
} from "../../../views/jira-connection.tsx"
import { noticeOf } from "../../../views/manage.tsx"
import { fieldErrors, statusOf, type TaggedError } from "../../errors.ts"
import { text } from "../../form-fields.ts"
import { versionParam } from "../../query-params.ts"
import { type AppDeps, attempt, type SignedInEnv } from "../../runtime.ts"
import type { Surface } from "../../surface.ts"
import { errorPage, isFragmentRequest, page } from "../page.tsx"

const readJiraForm = async (c: Context<SignedInEnv>): Promise<JiraFormValues> => {
  const form = await c.req.parseBody()
  return {
    name: text(form.name),
    baseUrl: text(form.baseUrl),
    credentialId: text(form.credentialId),
    defaultJql: text(form.defaultJql),
    version: text(form.version)
  }
}

/** Manage › Integrations › Jira: the connection's settings, Test connection, Save and Remove. */
export const jiraConnectionSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()
  const manager = (c: Context<SignedInEnv>) => asManager(c.var.auth.principal)

  const jiraPage = async (
    c: Context<SignedInEnv>,
    state: {
      values?: JiraFormValues
      errors?: Record<string, string>
      health?: ConnectionHealth | null
      problem?: TaggedError
      status?: 200 | 409 | 422 | 502 | 503
    } = {}
  ) => {
    const result = await attempt(deps, getJiraSettings().pipe(manager(c)))
    if (Result.isFailure(result)) return errorPage(c, deps, result.failure)
    const { config, credentials } = result.success
    const values = state.values ?? {
      name: config?.name ?? "",
      baseUrl: config?.baseUrl ?? "",
      credentialId: config?.credentialId ?? "",
      defaultJql: config === null || config.defaultJql === DEFAULT_JQL ? "" : config.defaultJql,
      version: config === null ? "" : String(config.version)
    }
    return page(
      c,
      deps,
      "Jira integration",
      "manage",
      <JiraConnectionView
        config={config}
        credentials={credentials}
        values={values}
        errors={state.errors ?? {}}
        health={state.health ?? null}
        now={deps.now()}
        notice={noticeOf(c.req.query("done"))}
        problem={state.problem ?? null}
      />,
      state.status ?? 200
    )
  }

  routes.get("/", (c) => jiraPage(c))

  routes.post("/", async (c) => {
    const values = await readJiraForm(c)
    const version = values.version === "" ? null : Number(values.version)
    if (version !== null && (!Number.isInteger(version) || version < 1)) {
      return jiraPage(c, { values, errors: { name: "The form is out of date. Reload the page." }, status: 422 })
    }
    const input = {
      name: values.name,
      baseUrl: values.baseUrl,
      credentialId: values.credentialId,
      defaultJql: values.defaultJql
    }
    const result: Result.Result<JiraConfig, TaggedError> = await (version === null
      ? attempt(deps, connectJira(input).pipe(manager(c)))
      : attempt(deps, updateJira(input, version).pipe(manager(c))))
    if (Result.isSuccess(result)) return c.redirect("/manage/integrations/jira?done=saved", 303)
    const error = result.failure
    if (error._tag === "InvalidInput") return jiraPage(c, { values, errors: fieldErrors(error), status: 422 })
    if (error._tag === "NotPermitted") return errorPage(c, deps, error)
    return jiraPage(c, { values, problem: error, status: statusOf(error) as 409 })
  })

  routes.post("/test", async (c) => {
    const values = await readJiraForm(c)
    const result = await attempt(
      deps,
      testConnection({
        baseUrl: values.baseUrl,
        credentialId: values.credentialId,
        defaultJql: values.defaultJql
      }).pipe(manager(c))
    )
    if (isFragmentRequest(c)) {
      // The test of the saved connection was recorded: the state in the panel's head follows it.
      const settings = await attempt(deps, getJiraSettings().pipe(manager(c)))
      const state = Result.isSuccess(settings) ? (
        <ConnectionState config={settings.success.config} now={deps.now()} oob />
      ) : null
      if (Result.isSuccess(result))
        return c.html(
          <>
            <HealthBadge health={result.success} now={deps.now()} />
            {state}
          </>
        )
      const failure = result.failure
      const messages = failure._tag === "InvalidInput" ? labelledProblems(failure.fields) : [failure.message]
      return c.html(
        <>
          <TestFailed messages={messages} />
          {state}
        </>,
        statusOf(failure)
      )
    }
    if (Result.isSuccess(result)) return jiraPage(c, { values, health: result.success })
    if (result.failure._tag === "InvalidInput")
      return jiraPage(c, { values, errors: fieldErrors(result.failure), status: 422 })
    return errorPage(c, deps, result.failure)
  })

  routes.post("/remove", async (c) => {
    const form = await c.req.parseBody()
    const version = versionParam(text(form.version))
    const result: Result.Result<unknown, TaggedError> = Result.isFailure(version)
      ? version
      : await attempt(deps, removeJira(version.success).pipe(manager(c)))
    if (Result.isSuccess(result)) {
      if (isFragmentRequest(c)) return c.body(null, 204, { "HX-Redirect": "/manage/integrations/jira?done=removed" })
      return c.redirect("/manage/integrations/jira?done=removed", 303)
    }
    if (result.failure._tag === "NotPermitted") return errorPage(c, deps, result.failure)
    return jiraPage(c, { problem: result.failure, status: statusOf(result.failure) as 409 })
  })

  return { kind: "page", base: "/manage/integrations/jira", permission: SETTINGS_MANAGE, routes }
}
