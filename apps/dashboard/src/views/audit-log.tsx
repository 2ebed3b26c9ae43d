import type { AuditEvent } from "@sciple/jira-core"
import { Time } from "./components.tsx"
import { ManageNav } from "./manage.tsx"

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
                    <code>{e.action}</code>
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
