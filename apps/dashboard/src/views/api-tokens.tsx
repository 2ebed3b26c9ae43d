import type { ApiToken } from "../identity/index.ts"
import { TextField, Time } from "./components.tsx"
import { ManageNav } from "./manage.tsx"

/** Manage › API tokens: a new token's secret shown once, the person's tokens with Revoke, and the create form. */
export const ApiTokensView = (props: {
  tokens: ReadonlyArray<ApiToken>
  /** Managers see Manage's sub-navigation; everyone else has only this page of it. */
  canManage: boolean
  now: Date
  /** Just revoked one (after the redirect). */
  revoked: boolean
  /** The secret of the token just created: shown this once. */
  created: string | undefined
  /** A repeated submit of a form that already created its token. */
  already: boolean
  error: string | undefined
  /** Random per rendered form: a double submit creates one token. */
  idempotencyKey: string
  expiryChoices: ReadonlyArray<{ readonly value: string; readonly label: string }>
  defaultExpiry: string
}) => (
  <>
    {props.canManage ? (
      <>
        <h1>Manage</h1>
        <ManageNav active="tokens" />
      </>
    ) : (
      <h1>API tokens</h1>
    )}
    {props.revoked && (
      <p class="notice" role="status">
        Token revoked: it no longer works.
      </p>
    )}
    {props.created !== undefined && (
      <div class="notice" role="status">
        <p>
          <strong>Copy your new token now.</strong> It will not be shown again.
        </p>
        <p class="secret-once">{props.created}</p>
      </div>
    )}
    {props.already && (
      <div class="notice" role="status">
        <p>
          This form already created its token (a repeated submit); its secret was shown once and is not shown again.
        </p>
      </div>
    )}
    <section class="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal API tokens</h2>
      <p class="muted">
        For the JSON API: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with your role in
        this workspace. See the <a href="/api/docs">API reference</a>.
      </p>
      {props.tokens.length === 0 ? (
        <p class="callout">No tokens yet.</p>
      ) : (
        <table class="stacked">
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
            {props.tokens.map((t) => (
              <tr>
                <td data-label="Name">{t.name}</td>
                <td data-label="Created">
                  <Time date={t.createdAt} now={props.now} />
                </td>
                <td data-label="Last used">
                  {t.lastUsedAt === null ? (
                    <span class="muted">never</span>
                  ) : (
                    <Time date={t.lastUsedAt} now={props.now} />
                  )}
                </td>
                <td data-label="Expires">
                  {t.expiresAt == null ? (
                    <span class="muted">never</span>
                  ) : (
                    <time datetime={t.expiresAt.toISOString()}>
                      {t.expiresAt.getTime() <= props.now.getTime() ? "expired " : ""}
                      {t.expiresAt.toISOString().slice(0, 10)}
                    </time>
                  )}
                </td>
                <td data-label="State">
                  {t.revokedAt === null ? (
                    <form
                      method="post"
                      action={`/manage/api-tokens/${encodeURIComponent(t.id)}/revoke`}
                      hx-post={`/manage/api-tokens/${encodeURIComponent(t.id)}/revoke`}
                      hx-confirm={`Revoke the token “${t.name}”? Anything using it stops working at once.`}
                      hx-target="body"
                    >
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
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <TextField
          id="token-name"
          label="Name"
          name="name"
          maxlength={100}
          placeholder="Reporting script"
          error={props.error}
        />
        <label>
          Expires after
          <select name="expires" id="token-expires">
            {props.expiryChoices.map((choice) => (
              <option value={choice.value} selected={choice.value === props.defaultExpiry}>
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
  </>
)
