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

const routeLabel = (route: ConnectionHealth["route"]) =>
  route === "gateway"
    ? "through Atlassian's API gateway (a token with scopes)"
    : route === "site"
      ? "directly on the site"
      : null
const FetchedAtLabel = ({ at, now }: { at: Date; now: Date }) => <Time date={at} now={now} />

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
export const TestFailed = ({ message }: { message: string }) => (
  <div id="test-result" aria-live="polite">
    <p class="field-error" role="alert">
      {message}
    </p>
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
        <div class="actions">
          {props.config === null ? (
            <span class="badge badge-fail">Not connected</span>
          ) : (
            <span class="badge badge-ok">Connected</span>
          )}
        </div>
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
