import type { JiraIssue, StatusCategory, Tally } from "@sciple/jira-core"
import { browseUrl, type SiteUrl, STATUS_CATEGORY_LABEL } from "@sciple/jira-core"
import type { Child } from "hono/jsx"
import { avatarPath, exactTime, formatCount, hueOf, initials, relativeTime, safeImageUrl } from "./format.ts"

export const Time = ({ date, now }: { date: Date; now: Date }) => (
  <time datetime={date.toISOString()} title={exactTime(date)}>
    {relativeTime(date, now)}
  </time>
)

/** "Fetched 3 minutes ago", the age of a surface's data (a cache may serve it). */
/** The data's age; past `freshForMs` (the Jira cache's TTL) the answer was served stale and a refresh is running. */
export const FetchedAt = ({
  at,
  now,
  freshForMs,
  limited
}: {
  at: Date
  now: Date
  freshForMs?: number | undefined
  /** A refresh the per-person limit answered from the cache. */
  limited?: boolean | undefined
}) => (
  <span class="fetched">
    {limited === true ? "Refreshed a moment ago · fetched " : "Fetched "}
    <Time date={at} now={now} />
    {freshForMs !== undefined && freshForMs > 0 && now.getTime() - at.getTime() > freshForMs && " · refreshing"}
  </span>
)

const StatusPill = ({ name, category }: { name: string; category: StatusCategory }) => (
  <span class={`pill pill-${category}`} title={STATUS_CATEGORY_LABEL[category]}>
    {name}
  </span>
)

export const Avatar = ({ url, label, size = 24 }: { url: string | null; label: string; size?: 20 | 24 | 32 }) => {
  const src = safeImageUrl(url)
  return (
    <span class={`avatar avatar-${size} tone-${hueOf(label) % 12}`} aria-hidden="true">
      {initials(label)}
      {src !== null && (
        <img src={avatarPath(src)} alt="" width={size} height={size} loading="lazy" referrerpolicy="no-referrer" />
      )}
    </span>
  )
}

/** An issue key linking out to Jira, in a new tab. */
const IssueLink = ({ site, issueKey }: { site: SiteUrl; issueKey: string }) => (
  <a href={browseUrl(site, issueKey)} target="_blank" rel="noopener noreferrer" class="issue-key">
    {issueKey}
    <span class="visually-hidden"> (opens Jira in a new tab)</span>
  </a>
)

export const IssueRows = ({ issues, site, now }: { issues: ReadonlyArray<JiraIssue>; site: SiteUrl; now: Date }) => (
  <>
    {issues.map((issue) => (
      <tr>
        <td data-label="Key">
          <IssueLink site={site} issueKey={issue.key} />
        </td>
        <td class="summary" data-label="Summary">
          {issue.summary}
        </td>
        <td data-label="Status">
          <StatusPill name={issue.status.name} category={issue.status.category} />
        </td>
        <td data-label="Assignee">
          {issue.assignee === null ? (
            <span class="muted">Unassigned</span>
          ) : (
            <span class="person">
              <Avatar url={issue.assignee.avatarUrl} label={issue.assignee.displayName} size={20} />
              {issue.assignee.displayName}
            </span>
          )}
        </td>
        <td class="nowrap" data-label="Priority">
          {issue.priority === null ? <span class="muted">No priority</span> : issue.priority.name}
        </td>
        <td class="nowrap" data-label="Updated">
          <Time date={issue.updated} now={now} />
        </td>
      </tr>
    ))}
  </>
)

/** A horizontal bar chart as server-rendered SVG, with its numbers also as a table for assistive tech. */
export const BarChart = <T extends Tally>({
  id,
  title,
  caption,
  data,
  hrefOf
}: {
  id: string
  title: string
  caption: string
  data: ReadonlyArray<T>
  /** Where a bar leads (Jira's search for its issues); the bars and the numbers table then link there. */
  hrefOf?: (tally: T) => string
}) => {
  const rowHeight = 26
  const labelWidth = 150
  const width = 520
  const barSpace = width - labelWidth - 50
  const max = Math.max(1, ...data.map((d) => d.count))
  const height = Math.max(1, data.length) * rowHeight + 8
  const summary = data.map((d) => `${d.label}: ${d.count}`).join(", ")
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {data.length === 0 ? (
        <p class="muted">No issues to chart.</p>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          role={hrefOf === undefined ? "img" : "group"}
          aria-labelledby={`${id}-svg-title ${id}-svg-desc`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title id={`${id}-svg-title`}>{title}</title>
          <desc id={`${id}-svg-desc`}>{summary}</desc>
          {data.map((d, i) => {
            const y = i * rowHeight + 4
            const w = Math.max(2, Math.round((d.count / max) * barSpace))
            const label = d.label.length > 22 ? `${d.label.slice(0, 21)}…` : d.label
            const bar = (
              <g>
                <text x={labelWidth - 8} y={y + 16} text-anchor="end" class="chart-label">
                  {label}
                </text>
                <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} rx="3" class="chart-bar" />
                <text x={labelWidth + w + 6} y={y + 16} class="chart-value">
                  {formatCount(d.count)}
                </text>
              </g>
            )
            return hrefOf === undefined ? (
              bar
            ) : (
              // Named by its <title> (an aria-label would differ from the bar's visible words, which axe flags).
              <a href={hrefOf(d)} target="_blank" rel="noopener noreferrer" class="chart-link">
                <title>{`${d.label}: ${formatCount(d.count)} (opens Jira in a new tab)`}</title>
                {bar}
              </a>
            )
          })}
        </svg>
      )}
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <details class="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title.replace(/^By /, "")}</th>
              <th scope="col">Issues</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr>
                <td>{d.label}</td>
                <td>
                  {hrefOf === undefined ? (
                    d.count
                  ) : (
                    <a href={hrefOf(d)} target="_blank" rel="noopener noreferrer">
                      {d.count}
                      <span class="visually-hidden"> (opens Jira in a new tab)</span>
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

/** The To Do / In Progress / Done split as a stacked bar. */
export const SplitBar = ({ todo, inProgress, done }: { todo: number; inProgress: number; done: number }) => {
  const total = Math.max(1, todo + inProgress + done)
  const w = (n: number) => (n / total) * 100
  return (
    <svg
      class="split-bar"
      viewBox="0 0 100 4"
      preserveAspectRatio="none"
      role="img"
      aria-label={`To Do ${todo}, In Progress ${inProgress}, Done ${done}`}
    >
      <rect x="0" y="0" height="4" width={w(todo)} class="seg-new" />
      <rect x={w(todo)} y="0" height="4" width={w(inProgress)} class="seg-indeterminate" />
      <rect x={w(todo) + w(inProgress)} y="0" height="4" width={w(done)} class="seg-done" />
    </svg>
  )
}

/** A count; with `href`, the count opens its issues in Jira's search (a new tab). */
export const StatCard = ({
  label,
  value,
  tone,
  href
}: {
  label: string
  value: number
  tone?: string
  href?: string
}) =>
  href === undefined ? (
    <div class={`stat ${tone ?? ""}`}>
      <span class="stat-value">{formatCount(value)}</span>
      <span class="stat-label">{label}</span>
    </div>
  ) : (
    <a class={`stat stat-link ${tone ?? ""}`} href={href} target="_blank" rel="noopener noreferrer">
      <span class="stat-value">{formatCount(value)}</span>
      <span class="stat-label">{label}</span>
      <span class="visually-hidden"> (opens Jira in a new tab)</span>
    </a>
  )

/** A message inside a surface when its data could not be loaded; the rest of the page still renders. */
export const ErrorPanel = ({ message, children }: { message: string; children?: Child }) => (
  <div class="error-panel" role="alert">
    <strong>Could not load this from Jira.</strong>
    <p>{message}</p>
    {children}
  </div>
)

/** A refused htmx request: the reason alone, swapped where the fragment would have gone (no page around it). */
export const Refusal = ({ message }: { message: string }) => (
  <p class="error-panel" role="alert">
    {message}
  </p>
)

export const Spinner = ({ id }: { id: string }) => (
  <span id={id} class="htmx-indicator spinner" role="status">
    Loading…
  </span>
)

export const FieldError = ({ message, id }: { message: string | undefined; id: string }) =>
  message === undefined ? null : (
    <p class="field-error" id={id}>
      {message}
    </p>
  )

/** A labelled input with its hint and its error, wired for assistive tech (aria-invalid, aria-describedby). */
export const TextField = (props: {
  id: string
  label: string
  name: string
  error?: string | undefined
  hint?: string
  type?: "text" | "email" | "password" | "url" | "search"
  value?: string
  required?: boolean
  maxlength?: number
  minlength?: number
  placeholder?: string
  autocomplete?: string
}) => (
  <>
    <label>
      {props.label}
      {props.hint !== undefined && <span class="hint"> {props.hint}</span>}
      <input
        type={props.type ?? "text"}
        name={props.name}
        value={props.value}
        required={props.required ?? true}
        maxlength={props.maxlength}
        minlength={props.minlength}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete}
        aria-invalid={props.error !== undefined}
        aria-describedby={`${props.id}-error`}
      />
    </label>
    <FieldError id={`${props.id}-error`} message={props.error} />
  </>
)
