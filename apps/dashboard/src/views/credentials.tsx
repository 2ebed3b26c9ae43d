import { CLASSIC_SCOPES, GRANULAR_SCOPES } from "@sciple/jira-cloud"
import type { CoreError, Credential } from "@sciple/jira-core"
import { FieldError, TextField, Time } from "./components.tsx"
import { ManageNav, Notice, Problem } from "./manage.tsx"

/** Manage › Credentials: the list with its per-row Replace token and Delete, and the form that adds one. */

export interface CredentialValues {
  readonly name: string
  readonly username: string
  /** The form's idempotency key (adr/0028): kept when the form comes back with an error, so a retry is a repeat. */
  readonly idempotencyKey: string
}

/** Where an Atlassian account creates its API tokens. */
const CREATE_TOKEN_URL = "https://id.atlassian.com/manage-profile/security/api-tokens"

const CredentialForm = (props: { errors: Record<string, string>; values: CredentialValues }) => (
  <form method="post" action="/manage/credentials" class="stack" aria-labelledby="new-credential-title">
    <h2 id="new-credential-title">Add a credential</h2>
    <p class="muted">
      Sciple signs in to Jira with an Atlassian account's email and an API token, never the account's password.{" "}
      <a href={CREATE_TOKEN_URL} target="_blank" rel="noopener noreferrer">
        Create an API token
      </a>{" "}
      under the Atlassian account's security settings (opens in a new tab). The token is stored encrypted and never
      shown again.
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
    <input type="hidden" name="idempotencyKey" value={props.values.idempotencyKey} />
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
      hint="The email of the Atlassian account Sciple reads Jira as."
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
      hint="The token you created for that account, not its password."
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
    <table class="stacked">
      <caption class="visually-hidden">Credentials</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Atlassian email</th>
          <th scope="col">Updated</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {props.credentials.map((cred) => (
          <tr>
            <td data-label="Name">
              {cred.name}
              {props.inUse === cred.id && <span class="badge badge-ok"> used by Jira</span>}
            </td>
            <td data-label="Atlassian email">{cred.username}</td>
            <td data-label="Updated">
              <Time date={cred.updatedAt} now={props.now} />
            </td>
            <td data-label="Actions">
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

export const CredentialsView = (props: {
  credentials: ReadonlyArray<Credential>
  inUse: string | null
  now: Date
  notice: string | undefined
  problem: CoreError | null
  errors: Record<string, string>
  values: CredentialValues
}) => (
  <>
    <h1>Manage</h1>
    <ManageNav active="credentials" />
    <Notice message={props.notice} />
    <Problem error={props.problem} />
    <section class="panel" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Credentials</h2>
      <CredentialList credentials={props.credentials} inUse={props.inUse} now={props.now} />
    </section>
    <section class="panel">
      <CredentialForm errors={props.errors} values={props.values} />
    </section>
  </>
)
