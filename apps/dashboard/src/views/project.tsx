import type { IssueFilters, IssueTablePage, ProjectDashboard, SiteUrl } from "@sciple/jira-core"
import { SAMPLE_SIZE } from "@sciple/jira-core"
import { Avatar, BarChart, ErrorPanel, FetchedAt, IssueRows, Spinner, StatCard } from "./components.tsx"
import { CountAll, CsvLink } from "./exact-counts.tsx"

/** A project's dashboard: stat cards, breakdown charts, the filters and the issue table with Load more. */

export const CATEGORIES = [
  { value: "new", label: "To Do" },
  { value: "indeterminate", label: "In Progress" },
  { value: "done", label: "Done" }
] as const

export const filterParams = (filters: IssueFilters, extra: Record<string, string> = {}) => {
  const params = new URLSearchParams()
  if (filters.statusCategory !== undefined) params.set("status", filters.statusCategory)
  if (filters.priority !== undefined) params.set("priority", filters.priority)
  if (filters.assignee !== undefined) params.set("assignee", filters.assignee)
  if (filters.text !== undefined) params.set("q", filters.text)
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  const s = params.toString()
  return s === "" ? "" : `?${s}`
}

const HEADERS = ["Key", "Summary", "Status", "Assignee", "Priority", "Updated"]

export const LoadMore = (props: { projectKey: string; filters: IssueFilters; next: string | null }) =>
  props.next === null ? null : (
    <tr id="load-more-row">
      <td colspan={6}>
        <button
          type="button"
          class="secondary"
          hx-get={`/fragments/projects/${encodeURIComponent(props.projectKey)}/issues${filterParams(props.filters, { cursor: props.next })}`}
          hx-target="#load-more-row"
          hx-swap="outerHTML"
          hx-indicator="#load-more-spinner"
        >
          Load more
        </button>{" "}
        <Spinner id="load-more-spinner" />
      </td>
    </tr>
  )

export const IssueTable = (props: {
  projectKey: string
  site: SiteUrl
  filters: IssueFilters
  table: IssueTablePage
  now: Date
}) => (
  <div id="issue-table">
    <CsvLink projectKey={props.projectKey} query={filterParams(props.filters)} />
    {props.table.restarted === true ? (
      <p class="callout" role="status">
        The list was restarted from the first page: Jira no longer accepted the link to the next page (such links expire
        after some days).
      </p>
    ) : null}
    {props.table.issues.length === 0 ? (
      <p class="callout">No issues match these filters.</p>
    ) : (
      <table>
        <caption class="visually-hidden">Issues of {props.projectKey}</caption>
        <thead>
          <tr>
            {HEADERS.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody id="issue-rows">
          <IssueRows issues={props.table.issues} site={props.site} now={props.now} />
          <LoadMore projectKey={props.projectKey} filters={props.filters} next={props.table.next} />
        </tbody>
      </table>
    )}
  </div>
)

const Filters = (props: { d: ProjectDashboard }) => {
  const { d } = props
  const key = encodeURIComponent(d.project.key)
  return (
    <search aria-label="Filter issues">
      <form
        class="filters"
        method="get"
        action={`/projects/${key}`}
        hx-get={`/fragments/projects/${key}/issues`}
        hx-target="#issue-table"
        hx-swap="outerHTML"
        hx-trigger="submit, change, input changed delay:400ms from:#issue-text"
        hx-indicator="#issue-spinner"
      >
        <label>
          Status
          <select name="status">
            <option value="">All</option>
            {CATEGORIES.map((x) => (
              <option value={x.value} selected={d.filters.statusCategory === x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select name="priority">
            <option value="">All</option>
            {[...new Set([...d.priorities, ...(d.filters.priority === undefined ? [] : [d.filters.priority])])].map(
              (p) => (
                <option value={p} selected={d.filters.priority === p}>
                  {p}
                </option>
              )
            )}
          </select>
        </label>
        <label>
          Assignee
          <select name="assignee">
            <option value="">Anyone</option>
            <option value="unassigned" selected={d.filters.assignee === "unassigned"}>
              Unassigned
            </option>
            {d.assignees.map((a) => (
              <option value={a.accountId} selected={d.filters.assignee === a.accountId}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Text
          <input
            id="issue-text"
            type="search"
            name="q"
            value={d.filters.text ?? ""}
            maxlength={200}
            placeholder="Search summaries"
          />
        </label>
        <button type="submit">Filter</button>
        <a href={`/projects/${key}`} class="button secondary">
          Clear
        </a>
        <Spinner id="issue-spinner" />
      </form>
    </search>
  )
}

export const ProjectDashboardView = (props: {
  d: ProjectDashboard
  now: Date
  freshForMs?: number | undefined
  limited?: boolean | undefined
}) => {
  const { d } = props
  const caption = `Tallied from the ${d.sampleSize} most recent matching issues${d.sampleSize === SAMPLE_SIZE ? " (not the full result set)" : ""}.`
  return (
    <>
      <div class="panel-head">
        <span class="person">
          <Avatar url={d.project.avatarUrl} label={d.project.name} size={32} />
          <h1>{d.project.name}</h1>
        </span>
        <code>{d.project.key}</code>
        <div class="actions">
          <FetchedAt at={d.fetchedAt} now={props.now} freshForMs={props.freshForMs} limited={props.limited} />
          <a
            class="button secondary"
            href={`/projects/${encodeURIComponent(d.project.key)}${filterParams(d.filters, { refresh: "1" })}`}
          >
            Refresh
          </a>
        </div>
      </div>
      <p class="muted">
        Lead: {d.project.lead?.displayName ?? "none"}. Scoped by <code class="jql">{d.jql}</code>.
      </p>
      <div class="stats">
        <StatCard label="Issues" value={d.split.total} />
        <StatCard label="To Do" value={d.split.todo} tone="tone-new" />
        <StatCard label="In Progress" value={d.split.inProgress} tone="tone-indeterminate" />
        <StatCard label="Done" value={d.split.done} tone="tone-done" />
      </div>
      <section id="charts" class="panel charts" aria-labelledby="charts-title" tabindex={-1}>
        <h2 id="charts-title" class="visually-hidden">
          Breakdowns
        </h2>
        <BarChart id="by-priority" title="By priority" caption={caption} data={d.byPriority} />
        <BarChart id="by-assignee" title="By assignee" caption={caption} data={d.byAssignee} />
        <CountAll projectKey={d.project.key} query={filterParams(d.filters)} sampleSize={d.sampleSize} />
      </section>
      <section class="panel" aria-labelledby="issues-title">
        <h2 id="issues-title">Issues</h2>
        <Filters d={d} />
        <IssueTable projectKey={d.project.key} site={d.site} filters={d.filters} table={d.table} now={props.now} />
      </section>
    </>
  )
}

/** The project's page when Jira could not answer: the error, a retry and the way back. */
export const ProjectErrorView = (props: { projectKey: string; message: string; retryUrl: string }) => (
  <>
    <h1>{props.projectKey}</h1>
    <ErrorPanel message={props.message}>
      <p>
        <a href={props.retryUrl}>Try again</a> · <a href="/projects">All projects</a>
      </p>
    </ErrorPanel>
  </>
)

/** A fragment of the issue table that Jira could not answer: the whole table's place, or the Load more row's. */
export const IssuesFailed = ({ message, inPlaceOf }: { message: string; inPlaceOf: "table" | "load-more" }) =>
  inPlaceOf === "table" ? (
    <div id="issue-table">
      <ErrorPanel message={message} />
    </div>
  ) : (
    <tr id="load-more-row">
      <td colspan={6}>
        <ErrorPanel message={message} />
      </td>
    </tr>
  )
