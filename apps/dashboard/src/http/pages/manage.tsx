import { CLASSIC_SCOPES, GRANULAR_SCOPES } from "@sciple/jira-cloud"
import {
  asManager,
  type ConnectionHealth,
  type Credential,
  connectJira,
  createCredential,
  DEFAULT_JQL,
  deleteCredential,
  getJiraSettings,
  type JiraConfig,
  listAuditLog,
  NotPermitted,
  removeJira,
  rotateCredentialToken,
  SETTINGS_MANAGE,
  testConnection,
  updateJira
} from "@sciple/jira-core"
import { Effect, Redacted, Result } from "effect"
import type { Context, Hono } from "hono"
import { AccountStore } from "../../identity/index.ts"
import { randomToken } from "../../platform/tokens.ts"
import { FieldError, Spinner, TextField, Time } from "../../views/components.tsx"
import { ManageNav } from "../../views/layout.tsx"
import { requireSignIn } from "../auth.tsx"
import { fieldErrors, statusOf, type TaggedError } from "../errors.ts"
import { auditCursor, versionParam } from "../query-params.ts"
import { type AppDeps, type AppEnv, attempt, run } from "../runtime.ts"
import { errorPage, isFragmentRequest, page } from "./page.tsx"

const text = (value: unknown): string => (typeof value === "string" ? value : "")

const Notice = ({ message }: { message: string | undefined }) =>
  message === undefined ? null : (
    <p class="notice" role="status">
      {message}
    </p>
  )

const Problem = ({ error }: { error: TaggedError | null }) =>
  error === null ? null : (
    <p class="error-panel" role="alert">
      {error.message}
    </p>
  )

// Manage > Credentials

interface CredentialValues {
  readonly name: string
  readonly username: string
  /** The form's idempotency key (adr/0028): kept when the form comes back with an error, so a retry is a repeat. */
  readonly idempotencyKey?: string | undefined
}

const CredentialForm = (props: { errors: Record<string, string>; values: CredentialValues }) => (
  <form method="post" action="/manage/credentials" class="stack" aria-labelledby="new-credential-title">
    <h2 id="new-credential-title">Add a credential</h2>
    <p class="muted">
      Kind <code>username_password</code>, provider <code>jira</code>. The password is an Atlassian API token (create
      one under your Atlassian account's security settings), not your Atlassian password. It is stored encrypted and
      never shown again.
    </p>
    <p class="muted" id="token-scopes">
      A token with scopes (Atlassian's recommended kind) works too: Test connection finds that it must go through
      Atlassian's API gateway and remembers it. Give it the classic scopes{" "}
      {CLASSIC_SCOPES.map((scope, i) => (
        <>
          {i > 0 ? " and " : null}
          <code>{scope}</code>
        </>
      ))}
      , or the granular scopes{" "}
      {GRANULAR_SCOPES.map((scope, i) => (
        <>
          {i > 0 ? ", " : null}
          <code>{scope}</code>
        </>
      ))}
      . Scoped tokens expire: replace the token here when yours does.
    </p>
    <input type="hidden" name="kind" value="username_password" />
    <input type="hidden" name="provider" value="jira" />
    {/* Names this create: a double submit, or a retry after an error, makes one credential. */}
    <input type="hidden" name="idempotencyKey" value={props.values.idempotencyKey ?? randomToken(16)} />
    <FieldError id="idempotencyKey-error" message={props.errors.idempotencyKey} />
    <TextField
      id="name"
      label="Name"
      name="name"
      maxlength={100}
      value={props.values.name}
      placeholder="Jira bot"
      error={props.errors.name}
    />
    <TextField
      id="username"
      label="Atlassian email"
      hint="The username."
      type="email"
      name="username"
      maxlength={254}
      value={props.values.username}
      autocomplete="off"
      error={props.errors.username}
    />
    <TextField
      id="token"
      label="API token"
      hint="The password."
      type="password"
      name="token"
      maxlength={4096}
      autocomplete="new-password"
      error={props.errors.token}
    />
    <div class="button-row">
      <button type="submit">Add credential</button>
    </div>
  </form>
)

const CredentialList = (props: { credentials: ReadonlyArray<Credential>; inUse: string | null; now: Date }) =>
  props.credentials.length === 0 ? (
    <p class="callout">No credentials yet. Add the Jira credential below, then connect Jira.</p>
  ) : (
    <table>
      <caption class="visually-hidden">Credentials</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Username</th>
          <th scope="col">Kind</th>
          <th scope="col">Updated</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {props.credentials.map((cred) => (
          <tr>
            <td>
              {cred.name}
              {props.inUse === cred.id && <span class="badge badge-ok"> used by Jira</span>}
            </td>
            <td>{cred.username}</td>
            <td>
              <code>{cred.kind}</code> · <code>{cred.provider}</code>
            </td>
            <td>
              <Time date={cred.updatedAt} now={props.now} />
            </td>
            <td>
              <div class="button-row">
                <details>
                  <summary>Replace token</summary>
                  <form
                    method="post"
                    action={`/manage/credentials/${encodeURIComponent(cred.id)}/rotate`}
                    class="stack"
                  >
                    <label>
                      New API token
                      <input type="password" name="token" required maxlength={4096} autocomplete="new-password" />
                    </label>
                    <button type="submit">Replace</button>
                  </form>
                </details>
                <form
                  method="post"
                  action={`/manage/credentials/${encodeURIComponent(cred.id)}/delete`}
                  hx-post={`/manage/credentials/${encodeURIComponent(cred.id)}/delete`}
                  hx-confirm={`Delete the credential “${cred.name}”? Its API token is deleted too.`}
                  hx-target="body"
                >
                  <button type="submit" class="danger" aria-label={`Delete ${cred.name}`}>
                    Delete
                  </button>
                </form>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )

const NOTICES: Record<string, string> = {
  created: "Credential added. Its token is stored encrypted and will not be shown again.",
  deleted: "Credential deleted, with its stored token.",
  rotated: "Token replaced.",
  saved: "Jira connection saved.",
  removed: "Jira connection removed. The credential was kept."
}

const noticeOf = (c: Context) => NOTICES[c.req.query("done") ?? ""]

export const manageRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  const manager = (c: Context<AppEnv>) => asManager(c.get("auth")!.principal)

  app.get("/manage", requireSignIn, (c) =>
    c.get("auth")!.principal.can(SETTINGS_MANAGE)
      ? c.redirect("/manage/integrations/jira", 303)
      : errorPage(c, deps, new NotPermitted({ permission: SETTINGS_MANAGE }))
  )

  const credentialsPage = async (
    c: Context<AppEnv>,
    state: {
      errors?: Record<string, string>
      values?: CredentialValues
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
      <>
        <h1>Manage</h1>
        <ManageNav active="credentials" />
        <Notice message={noticeOf(c)} />
        <Problem error={state.problem ?? null} />
        <section class="panel" aria-labelledby="credentials-title">
          <h2 id="credentials-title">Credentials</h2>
          <CredentialList credentials={credentials} inUse={config?.credentialId ?? null} now={deps.now()} />
        </section>
        <section class="panel">
          <CredentialForm errors={state.errors ?? {}} values={state.values ?? { name: "", username: "" }} />
        </section>
      </>,
      state.status ?? 200
    )
  }

  app.get("/manage/credentials", requireSignIn, (c) => credentialsPage(c))

  app.post("/manage/credentials", requireSignIn, async (c) => {
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

  app.post("/manage/credentials/:id/delete", requireSignIn, async (c) => {
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

  app.post("/manage/credentials/:id/rotate", requireSignIn, async (c) => {
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

  // Manage > Integrations > Jira

  const HealthBadge = ({ health, now }: { health: ConnectionHealth | null; now: Date }) => (
    <div id="test-result" aria-live="polite">
      {health === null ? null : health.ok ? (
        <p>
          <span class="badge badge-ok">
            Connected as {health.accountEmail ?? health.accountName ?? "the Jira account"}
          </span>{" "}
          <span>{routeLabel(health.route)}</span>{" "}
          <span class="muted">
            tested <FetchedAtLabel at={health.checkedAt} now={now} />
          </span>
        </p>
      ) : (
        <p>
          <span class="badge badge-fail">Connection failed</span> {health.error}{" "}
          <span class="muted">
            tested <FetchedAtLabel at={health.checkedAt} now={now} />
          </span>
        </p>
      )}
    </div>
  )
  const routeLabel = (route: ConnectionHealth["route"]) =>
    route === "gateway"
      ? "through Atlassian's API gateway (a token with scopes)"
      : route === "site"
        ? "directly on the site"
        : null
  const FetchedAtLabel = ({ at, now }: { at: Date; now: Date }) => <Time date={at} now={now} />

  const JiraForm = (props: {
    config: JiraConfig | null
    credentials: ReadonlyArray<Credential>
    values: { name: string; baseUrl: string; credentialId: string; defaultJql: string; version: string }
    errors: Record<string, string>
    health: ConnectionHealth | null
  }) => (
    <form method="post" action="/manage/integrations/jira" class="stack" id="jira-form">
      <input type="hidden" name="version" value={props.values.version} />
      <TextField
        id="jira-name"
        label="Name"
        hint="A display label, for example My Jira."
        name="name"
        maxlength={100}
        value={props.values.name}
        error={props.errors.name}
      />
      <TextField
        id="jira-url"
        label="Base URL"
        type="url"
        name="baseUrl"
        maxlength={200}
        placeholder="https://your-domain.atlassian.net"
        value={props.values.baseUrl}
        error={props.errors.baseUrl}
      />
      <label>
        Credential <span class="hint">Everyone in this workspace sees what this Jira account can see.</span>
        <select
          name="credentialId"
          required
          aria-invalid={props.errors.credentialId !== undefined}
          aria-describedby="jira-credential-error"
        >
          <option value="">Select a credential</option>
          {props.credentials.map((cred) => (
            <option value={cred.id} selected={props.values.credentialId === cred.id}>
              {cred.name} ({cred.username})
            </option>
          ))}
        </select>
      </label>
      <FieldError id="jira-credential-error" message={props.errors.credentialId} />
      {props.credentials.length === 0 && (
        <p class="muted">
          No credential yet: <a href="/manage/credentials">add one under Credentials</a> first.
        </p>
      )}
      <label>
        Default JQL <span class="hint">Optional. Applied to the home widget and the default issue lists.</span>
        <textarea
          name="defaultJql"
          maxlength={2000}
          placeholder={DEFAULT_JQL}
          aria-invalid={props.errors.defaultJql !== undefined}
          aria-describedby="jira-jql-error"
        >
          {props.values.defaultJql}
        </textarea>
      </label>
      <FieldError id="jira-jql-error" message={props.errors.defaultJql} />
      <HealthBadge health={props.health} now={deps.now()} />
      <div class="button-row">
        <button
          type="submit"
          class="secondary"
          formaction="/manage/integrations/jira/test"
          hx-post="/manage/integrations/jira/test"
          hx-include="#jira-form"
          hx-target="#test-result"
          hx-swap="outerHTML"
          hx-indicator="#test-spinner"
        >
          Test connection
        </button>
        <Spinner id="test-spinner" />
        <button type="submit">Save</button>
      </div>
    </form>
  )

  const jiraPage = async (
    c: Context<AppEnv>,
    state: {
      values?: { name: string; baseUrl: string; credentialId: string; defaultJql: string; version: string }
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
      <>
        <h1>Manage</h1>
        <ManageNav active="jira" />
        <Notice message={noticeOf(c)} />
        <Problem error={state.problem ?? null} />
        <section class="panel" aria-labelledby="jira-title">
          <div class="panel-head">
            <h2 id="jira-title">Integrations › Jira</h2>
            <div class="actions">
              {config === null ? (
                <span class="badge badge-fail">Not connected</span>
              ) : (
                <span class="badge badge-ok">Connected</span>
              )}
            </div>
          </div>
          <p class="muted">
            Read-only: Sciple fetches issues and projects when someone opens a page, and writes nothing back to Jira.
            One Jira connection per workspace.
          </p>
          <JiraForm
            config={config}
            credentials={credentials}
            values={values}
            errors={state.errors ?? {}}
            health={state.health === undefined ? (config?.health ?? null) : state.health}
          />
        </section>
        {config !== null && (
          <section class="panel" aria-labelledby="remove-title">
            <h2 id="remove-title">Remove the connection</h2>
            <p class="muted">The configuration is deleted and an audit event is written. The credential is kept.</p>
            <form
              method="post"
              action="/manage/integrations/jira/remove"
              hx-post="/manage/integrations/jira/remove"
              hx-confirm="Remove the Jira connection? Dashboards stop showing Jira data until it is connected again."
              hx-target="body"
            >
              <input type="hidden" name="version" value={String(config.version)} />
              <button type="submit" class="danger">
                Remove
              </button>
            </form>
          </section>
        )}
      </>,
      state.status ?? 200
    )
  }

  const readJiraForm = async (c: Context<AppEnv>) => {
    const form = await c.req.parseBody()
    return {
      name: text(form.name),
      baseUrl: text(form.baseUrl),
      credentialId: text(form.credentialId),
      defaultJql: text(form.defaultJql),
      version: text(form.version)
    }
  }

  app.get("/manage/integrations/jira", requireSignIn, (c) => jiraPage(c))

  app.post("/manage/integrations/jira", requireSignIn, async (c) => {
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
    const principal = c.get("auth")!.principal
    const result: Result.Result<JiraConfig, TaggedError> = await (version === null
      ? attempt(deps, connectJira(input).pipe(asManager(principal)))
      : attempt(deps, updateJira(input, version).pipe(asManager(principal))))
    if (Result.isSuccess(result)) return c.redirect("/manage/integrations/jira?done=saved", 303)
    const error = result.failure
    if (error._tag === "InvalidInput") return jiraPage(c, { values, errors: fieldErrors(error), status: 422 })
    if (error._tag === "NotPermitted") return errorPage(c, deps, error)
    return jiraPage(c, { values, problem: error, status: statusOf(error) as 409 })
  })

  app.post("/manage/integrations/jira/test", requireSignIn, async (c) => {
    const values = await readJiraForm(c)
    const result = await attempt(
      deps,
      testConnection({ baseUrl: values.baseUrl, credentialId: values.credentialId }).pipe(manager(c))
    )
    if (isFragmentRequest(c)) {
      if (Result.isSuccess(result)) return c.html(<HealthBadge health={result.success} now={deps.now()} />)
      return c.html(
        <div id="test-result" aria-live="polite">
          <p class="field-error" role="alert">
            {result.failure.message}
          </p>
        </div>,
        statusOf(result.failure)
      )
    }
    if (Result.isSuccess(result)) return jiraPage(c, { values, health: result.success })
    if (result.failure._tag === "InvalidInput")
      return jiraPage(c, { values, errors: fieldErrors(result.failure), status: 422 })
    return errorPage(c, deps, result.failure)
  })

  app.post("/manage/integrations/jira/remove", requireSignIn, async (c) => {
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

  // Manage > Audit log

  app.get("/manage/audit", requireSignIn, async (c) => {
    const cursor = auditCursor(c.req.query("before_at"), c.req.query("before_id"))
    if (Result.isFailure(cursor)) return errorPage(c, deps, cursor.failure)
    const { before } = cursor.success
    const limit = 25
    const result = await attempt(deps, listAuditLog({ before, limit }).pipe(manager(c)))
    if (Result.isFailure(result)) return errorPage(c, deps, result.failure)
    const events = result.success
    const settings = await attempt(deps, getJiraSettings().pipe(manager(c)))
    const credentialNames = new Map(
      Result.isSuccess(settings) ? settings.success.credentials.map((cred) => [cred.id, cred.name] as const) : []
    )
    const actorIds = [...new Set(events.map((e) => e.actorId))]
    const actors = new Map(
      await run(
        deps,
        AccountStore.use((accounts) =>
          Effect.forEach(actorIds, (id) => Effect.map(accounts.getUser(id), (user) => [id, user?.email ?? id] as const))
        )
      )
    )
    const last = events[events.length - 1]
    const now = deps.now()
    return page(
      c,
      deps,
      "Audit log",
      "manage",
      <>
        <h1>Manage</h1>
        <ManageNav active="audit" />
        <section class="panel" aria-labelledby="audit-title">
          <h2 id="audit-title">Audit log</h2>
          {events.length === 0 ? (
            <p class="callout">No events yet.</p>
          ) : (
            <table>
              <caption class="visually-hidden">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Credential</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr>
                    <td>
                      <Time date={e.at} now={now} />
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{actors.get(e.actorId) ?? e.actorId}</td>
                    <td>
                      {e.credentialId === null
                        ? "—"
                        : (credentialNames.get(e.credentialId) ??
                          e.changes.find((ch) => ch.field === "name" && e.action.startsWith("CREDENTIAL"))?.from ??
                          e.credentialId)}
                    </td>
                    <td>
                      {e.changes.length === 0 ? (
                        "—"
                      ) : (
                        <ul>
                          {e.changes.map((ch) => (
                            <li>
                              <strong>{ch.field}</strong>: {ch.from ?? "∅"} → {ch.to ?? "∅"}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label="Audit pages">
            {before !== null && <a href="/manage/audit">Newest</a>}
            {last !== undefined && events.length === limit && (
              <a
                href={`/manage/audit?before_at=${encodeURIComponent(last.at.toISOString())}&before_id=${encodeURIComponent(last.id)}`}
                rel="next"
              >
                Older →
              </a>
            )}
          </nav>
        </section>
      </>
    )
  })
}
