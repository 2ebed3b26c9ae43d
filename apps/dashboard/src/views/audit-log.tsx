import type { AuditAction, AuditEvent, FieldChange } from "@sciple/jira-core"
import { Time } from "./components.tsx"
import { ManageNav } from "./manage.tsx"

/** What each action reads as; its code shows on hover. */
const ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  JIRA_CONFIG_CREATED: "Jira connection created",
  JIRA_CONFIG_UPDATED: "Jira connection changed",
  JIRA_CONFIG_DELETED: "Jira connection removed",
  CREDENTIAL_CREATED: "Credential added",
  CREDENTIAL_ROTATED: "Credential's API token replaced",
  CREDENTIAL_DELETED: "Credential deleted",
  API_TOKEN_CREATED: "API token created",
  API_TOKEN_REVOKED: "API token revoked"
}

/** The labels the forms show for the fields an event records; the field's code shows on hover. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "Name",
  baseUrl: "Site URL",
  credentialId: "Credential",
  defaultJql: "Default JQL",
  username: "Atlassian email",
  kind: "Signs in with",
  provider: "Service",
  version: "Token version",
  expiresAt: "Expires"
}

/** Stored values in the words the forms use. */
const readableValue = (field: string, value: string, credentialNames: ReadonlyMap<string, string>): string => {
  if (value === "") return "(empty)"
  if (field === "credentialId") return credentialNames.get(value) ?? value
  if (field === "kind" && value === "username_password") return "email and API token"
  if (field === "provider" && value === "jira") return "Jira"
  if (field === "expiresAt") return value === "never" ? "never" : value.slice(0, 10)
  return value
}

const Value = (props: { field: string; value: string | null; credentialNames: ReadonlyMap<string, string> }) =>
  props.value === null ? (
    <span class="muted">(none)</span>
  ) : (
    <span title={props.value}>{readableValue(props.field, props.value, props.credentialNames)}</span>
  )

/** "Name: Demo Jira → Demo Jira (renamed)"; what a creation set or a removal cleared reads without an arrow. */
const Change = (props: { change: FieldChange; credentialNames: ReadonlyMap<string, string> }) => {
  const { field, from, to } = props.change
  const label = <strong title={field}>{FIELD_LABELS[field] ?? field}</strong>
  if (from === null && to !== null)
    return (
      <li>
        {label}: <Value field={field} value={to} credentialNames={props.credentialNames} />
      </li>
    )
  if (to === null && from !== null)
    return (
      <li>
        {label}: <Value field={field} value={from} credentialNames={props.credentialNames} />
      </li>
    )
  return (
    <li>
      {label}: <Value field={field} value={from} credentialNames={props.credentialNames} /> →{" "}
      <Value field={field} value={to} credentialNames={props.credentialNames} />
    </li>
  )
}

/** Manage › Audit log: the workspace's events, newest first, a page at a time. */
export const AuditLogView = (props: {
  events: ReadonlyArray<AuditEvent>
  /** Actor id → email, where the account is still known. */
  actors: ReadonlyMap<string, string>
  /** Credential id → name, for the credentials that still exist. */
  credentialNames: ReadonlyMap<string, string>
  /** Whether this is an older page (a "Newest" link back). */
  older: boolean
  limit: number
  now: Date
}) => {
  const last = props.events[props.events.length - 1]
  return (
    <>
      <h1>Manage</h1>
      <ManageNav active="audit" />
      <section class="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        {props.events.length === 0 ? (
          <p class="callout">No events yet.</p>
        ) : (
          <table class="stacked">
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
              {props.events.map((e) => (
                <tr>
                  <td data-label="When">
                    <Time date={e.at} now={props.now} />
                  </td>
                  <td data-label="Action">
                    <span class="audit-action" title={e.action} data-action={e.action}>
                      {ACTION_LABELS[e.action]}
                    </span>
                  </td>
                  <td data-label="Actor">{props.actors.get(e.actorId) ?? e.actorId}</td>
                  <td data-label="Credential">
                    {e.credentialId === null
                      ? "—"
                      : (props.credentialNames.get(e.credentialId) ??
                        e.changes.find((ch) => ch.field === "name" && e.action.startsWith("CREDENTIAL"))?.from ??
                        e.credentialId)}
                  </td>
                  <td data-label="Changes">
                    {e.changes.length === 0 ? (
                      "—"
                    ) : (
                      <ul>
                        {e.changes.map((ch) => (
                          <Change change={ch} credentialNames={props.credentialNames} />
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
          {props.older && <a href="/manage/audit">Newest</a>}
          {last !== undefined && props.events.length === props.limit && (
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
}
