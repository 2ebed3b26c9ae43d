import type { ConnectionHealth, CoreError, Credential, JiraConfig } from "@sciple/jira-core"
import { DEFAULT_JQL } from "@sciple/jira-core"
import { FieldError, Spinner, TextField, Time } from "./components.tsx"
import { ManageNav, Notice, Problem } from "./manage.tsx"

/** Manage › Integrations › Jira: the connection form with Test connection and Save, its health, and Remove. */

export interface JiraFormValues {
  readonly name: string
  readonly baseUrl: string
  readonly credentialId: string
  readonly defaultJql: string
  readonly version: string
}

/** The form's labels, as a person sees them: messages about a field name it by these, never by its API name. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "Name",
  baseUrl: "Site URL",
  credentialId: "Credential",
  defaultJql: "Default JQL"
}

/** "Site URL: The URL must start with https://." for each field problem, in the form's own words. */
export const labelledProblems = (fields: ReadonlyArray<{ readonly field: string; readonly message: string }>) =>
  fields.map((f) => `${FIELD_LABELS[f.field] ?? "The form"}: ${f.message}`)

const routeLabel = (route: ConnectionHealth["route"]) =>
  route === "gateway"
    ? "through Atlassian's API gateway (a token with scopes)"
    : route === "site"
      ? "directly on the site"
      : null
const FetchedAtLabel = ({ at, now }: { at: Date; now: Date }) => <Time date={at} now={now} />

/** The connection's state as recorded: never tested, connected as someone, or the last test's failure. */
const ConnectionStateText = ({ config, now }: { config: JiraConfig | null; now: Date }) => {
  if (config === null) return <span class="badge badge-fail">Not connected</span>
  const health = config.health
  if (health === null)
    return (
      <span class="connection-state">
        <span class="badge badge-idle">Not tested yet</span>{" "}
        <span class="muted">Saved, never tested: use Test connection.</span>
      </span>
    )
  return health.ok ? (
    <span class="connection-state">
      <span class="badge badge-ok">Connected as {health.accountEmail ?? health.accountName ?? "the Jira account"}</span>{" "}
      <span class="muted">
        (tested <FetchedAtLabel at={health.checkedAt} now={now} />)
      </span>
    </span>
  ) : (
    <span class="connection-state">
      <span class="badge badge-fail">Last test failed</span> {health.error}{" "}
      <span class="muted">
        (<FetchedAtLabel at={health.checkedAt} now={now} />)
      </span>
    </span>
  )
}

/**
 * The state in the panel's head. `oob`: sent beside Test connection's answer, so a test of the saved connection
 * updates it in place (htmx's out-of-band swap by id).
 */
export const ConnectionState = ({ config, now, oob }: { config: JiraConfig | null; now: Date; oob?: boolean }) => (
  <div class="actions" id="connection-state" {...(oob === true ? { "hx-swap-oob": "true" } : {})}>
    <ConnectionStateText config={config} now={now} />
  </div>
)

/** The answer of the Test connection just run, in place under the form; empty until a test runs. */
export const HealthBadge = ({ health, now }: { health: ConnectionHealth | null; now: Date }) => (
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

/** Test connection's answer when the test could not run (a field, the credential, the site): in place of the badge. */
export const TestFailed = ({ messages }: { messages: ReadonlyArray<string> }) => (
  <div id="test-result" aria-live="polite">
    {messages.map((message) => (
      <p class="field-error" role="alert">
        {message}
      </p>
    ))}
  </div>
)

const JiraForm = (props: {
  config: JiraConfig | null
  credentials: ReadonlyArray<Credential>
  values: JiraFormValues
  errors: Record<string, string>
  health: ConnectionHealth | null
  now: Date
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
      label="Site URL"
      hint="Your Jira Cloud address."
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
    <HealthBadge health={props.health} now={props.now} />
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

export const JiraConnectionView = (props: {
  config: JiraConfig | null
  credentials: ReadonlyArray<Credential>
  values: JiraFormValues
  errors: Record<string, string>
  health: ConnectionHealth | null
  now: Date
  notice: string | undefined
  problem: CoreError | null
}) => (
  <>
    <h1>Manage</h1>
    <ManageNav active="jira" />
    <Notice message={props.notice} />
    <Problem error={props.problem} />
    <section class="panel" aria-labelledby="jira-title">
      <div class="panel-head">
        <h2 id="jira-title">Integrations › Jira</h2>
        <ConnectionState config={props.config} now={props.now} />
      </div>
      <p class="muted">
        Read-only: Sciple fetches issues and projects when someone opens a page, and writes nothing back to Jira. One
        Jira connection per workspace.
      </p>
      <JiraForm
        config={props.config}
        credentials={props.credentials}
        values={props.values}
        errors={props.errors}
        health={props.health}
        now={props.now}
      />
    </section>
    {props.config !== null && (
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
          <input type="hidden" name="version" value={String(props.config.version)} />
          <button type="submit" class="danger">
            Remove
          </button>
        </form>
      </section>
    )}
  </>
)
