import type { IssueFilters, IssueTablePage, ProjectDashboard, SiteUrl, StatusCategory } from "@sciple/jira-core"
import { categoryValue, issueSearchUrl, Jql, SAMPLE_SIZE, STATUS_VALUE_PREFIX } from "@sciple/jira-core"
import { Avatar, BarChart, ErrorPanel, FetchedAt, IssueRows, Spinner, StatCard } from "./components.tsx"
import { CountAll, CsvLink } from "./exact-counts.tsx"
import { formatCount } from "./format.ts"

/** A project's dashboard: stat cards, breakdown charts, the filters and the issue table with Load more. */

/** The status filter's URL value: a category key, "other", or "status:<name>". */
const statusValue = (filters: IssueFilters): string | undefined => {
  if (filters.status === undefined) return filters.statusCategory
  return filters.status.kind === "category"
    ? categoryValue(filters.status.category)
    : `${STATUS_VALUE_PREFIX}${filters.status.name}`
}

export const filterParams = (
  filters: IssueFilters,
  extra: Record<string, string> = {},
  sort: Jql.IssueSort | null = null
) => {
  const params = new URLSearchParams()
  const status = statusValue(filters)
  if (status !== undefined) params.set("status", status)
  if (filters.priority !== undefined) params.set("priority", filters.priority)
  if (filters.assignee !== undefined) params.set("assignee", filters.assignee)
  if (filters.text !== undefined) params.set("q", filters.text)
  if (sort !== null) {
    params.set("sort", sort.column)
    params.set("dir", sort.direction)
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v)
  const s = params.toString()
  return s === "" ? "" : `?${s}`
}

const HEADERS: ReadonlyArray<{ label: string; column: Jql.SortColumn }> = [
  { label: "Key", column: "key" },
  { label: "Summary", column: "summary" },
  { label: "Status", column: "status" },
  { label: "Assignee", column: "assignee" },
  { label: "Priority", column: "priority" },
  { label: "Updated", column: "updated" }
]

/** Where the table stands: rows shown so far and the view's total. */
export interface TableProgress {
  readonly shown: number
  readonly total: number
}

export const ShowingCount = (props: { progress: TableProgress; oob?: boolean }) => (
  <p id="issue-count" class="muted" hx-swap-oob={props.oob === true ? "true" : undefined}>
    Showing {formatCount(props.progress.shown)} of {formatCount(props.progress.total)}
  </p>
)

export const LoadMore = (props: {
  projectKey: string
  filters: IssueFilters
  sort: Jql.IssueSort | null
  next: string | null
  progress: TableProgress
}) =>
  props.next === null ? null : (
    <tr id="load-more-row">
      <td colspan={6}>
        <button
          type="button"
          class="secondary"
          hx-get={`/fragments/projects/${encodeURIComponent(props.projectKey)}/issues${filterParams(
            props.filters,
            { cursor: props.next, shown: String(props.progress.shown), total: String(props.progress.total) },
            props.sort
          )}`}
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

const SortHeader = (props: {
  label: string
  column: Jql.SortColumn
  projectKey: string
  filters: IssueFilters
  sort: Jql.IssueSort | null
}) => {
  const active = props.sort?.column === props.column ? props.sort : null
  const next: Jql.IssueSort = {
    column: props.column,
    direction:
      active === null ? (props.column === "updated" ? "desc" : "asc") : active.direction === "asc" ? "desc" : "asc"
  }
  const key = encodeURIComponent(props.projectKey)
  const query = filterParams(props.filters, {}, next)
  return (
    <th scope="col" aria-sort={active === null ? undefined : active.direction === "asc" ? "ascending" : "descending"}>
      <a
        class="sort"
        href={`/projects/${key}${query}`}
        hx-get={`/fragments/projects/${key}/view${query}`}
        hx-target="#project-view"
        hx-swap="outerHTML"
      >
        {props.label}
        <span aria-hidden="true">{active === null ? "" : active.direction === "asc" ? " ▲" : " ▼"}</span>
        <span class="visually-hidden">{`, sort ${next.direction === "asc" ? "ascending" : "descending"}`}</span>
      </a>
    </th>
  )
}

export const IssueTable = (props: {
  projectKey: string
  site: SiteUrl
  filters: IssueFilters
  sort?: Jql.IssueSort | null
  table: IssueTablePage
  now: Date
  progress?: TableProgress
}) => {
  const sort = props.sort ?? null
  const progress = props.progress ?? { shown: props.table.issues.length, total: props.table.issues.length }
  return (
    <div id="issue-table">
      <CsvLink projectKey={props.projectKey} query={filterParams(props.filters, {}, sort)} />
      {props.table.restarted === true ? (
        <p class="callout" role="status">
          The list was restarted from the first page: Jira no longer accepted the link to the next page (such links
          expire after some days).
        </p>
      ) : null}
      {props.table.issues.length === 0 ? (
        <p class="callout">No issues match these filters.</p>
      ) : (
        <>
          <ShowingCount progress={progress} />
          <table class="stacked">
            <caption class="visually-hidden">Issues of {props.projectKey}</caption>
            <thead>
              <tr>
                {HEADERS.map((h) => (
                  <SortHeader
                    label={h.label}
                    column={h.column}
                    projectKey={props.projectKey}
                    filters={props.filters}
                    sort={sort}
                  />
                ))}
              </tr>
            </thead>
            <tbody id="issue-rows">
              <IssueRows issues={props.table.issues} site={props.site} now={props.now} />
              <LoadMore
                projectKey={props.projectKey}
                filters={props.filters}
                sort={sort}
                next={props.table.next}
                progress={progress}
              />
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}

const CATEGORY_GROUPS: ReadonlyArray<{ category: StatusCategory; label: string }> = [
  { category: "new", label: "To Do" },
  { category: "indeterminate", label: "In Progress" },
  { category: "done", label: "Done" },
  { category: "undefined", label: "Other" }
]

const Filters = (props: { d: ProjectDashboard }) => {
  const { d } = props
  const key = encodeURIComponent(d.project.key)
  const status = statusValue(d.filters)
  return (
    <search aria-label="Filter issues">
      <form
        class="filters"
        method="get"
        action={`/projects/${key}`}
        hx-get={`/fragments/projects/${key}/view`}
        hx-target="#project-view"
        hx-swap="outerHTML"
        hx-trigger="submit, change, input changed delay:400ms from:#issue-text"
        hx-indicator="#issue-spinner"
      >
        {d.sort !== null && (
          <>
            <input type="hidden" name="sort" value={d.sort.column} />
            <input type="hidden" name="dir" value={d.sort.direction} />
          </>
        )}
        <label>
          Status
          <select name="status">
            <option value="">All</option>
            {CATEGORY_GROUPS.map((g) => (
              <optgroup label={g.label}>
                <option value={categoryValue(g.category)} selected={status === categoryValue(g.category)}>
                  {`Any ${g.label === "Other" ? "other" : g.label} status`}
                </option>
                {d.statuses
                  .filter((s) => s.category === g.category)
                  .map((s) => (
                    <option
                      value={`${STATUS_VALUE_PREFIX}${s.name}`}
                      selected={status === `${STATUS_VALUE_PREFIX}${s.name}`}
                    >
                      {s.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select name="priority">
            <option value="">All</option>
            {d.priorities.map((p) => (
              <option value={p} selected={d.filters.priority === p}>
                {p}
              </option>
            ))}
            <option value={Jql.NO_PRIORITY_FILTER} selected={d.filters.priority === Jql.NO_PRIORITY_FILTER}>
              No priority
            </option>
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

/** The part of the project page the filters and sort change: the JQL, the counts, the charts and the table. */
export const ProjectView = (props: { d: ProjectDashboard; now: Date }) => {
  const { d } = props
  const caption = `Tallied from the ${d.sampleSize} most recent matching issues${d.sampleSize === SAMPLE_SIZE ? " (not the full result set)" : ""}.`
  const link = (jql: string) => issueSearchUrl(d.site, jql)
  return (
    <div id="project-view">
      {d.notices.length > 0 && (
        <div class="callout" role="status">
          {d.notices.map((n) => (
            <p>{n}</p>
          ))}
        </div>
      )}
      <details class="jql-shown">
        <summary>JQL</summary>
        <p>
          This page shows <code class="jql">{d.jql}</code>.{" "}
          <a href={link(d.jql)} target="_blank" rel="noopener noreferrer">
            Open in Jira<span class="visually-hidden"> (new tab)</span>
          </a>
        </p>
      </details>
      <div class="stats">
        <StatCard label="Issues" value={d.split.total} href={link(d.splitJql.total)} />
        <StatCard label="To Do" value={d.split.todo} tone="tone-new" href={link(d.splitJql.todo)} />
        <StatCard
          label="In Progress"
          value={d.split.inProgress}
          tone="tone-indeterminate"
          href={link(d.splitJql.inProgress)}
        />
        <StatCard label="Done" value={d.split.done} tone="tone-done" href={link(d.splitJql.done)} />
        {d.split.other > 0 && <StatCard label="Other" value={d.split.other} href={link(d.splitJql.other)} />}
      </div>
      <section id="charts" class="panel charts" aria-labelledby="charts-title" tabindex={-1}>
        <h2 id="charts-title" class="visually-hidden">
          Breakdowns
        </h2>
        <BarChart
          id="by-priority"
          title="By priority"
          caption={caption}
          data={d.byPriority}
          hrefOf={(t) =>
            // A filtered priority is already in the view's JQL: the bar's link adds nothing to it.
            link(Jql.viewJql(d.view, d.filters.priority === undefined ? [Jql.priorityClause(t.value ?? t.label)] : []))
          }
        />
        <BarChart
          id="by-assignee"
          title="By assignee"
          caption={caption}
          data={d.byAssignee}
          hrefOf={(t) =>
            link(Jql.viewJql(d.view, d.filters.assignee === undefined ? [Jql.assigneeClause(t.value ?? t.label)] : []))
          }
        />
        <CountAll projectKey={d.project.key} query={filterParams(d.filters)} sampleSize={d.sampleSize} />
      </section>
      <section class="panel" aria-labelledby="issues-title">
        <h2 id="issues-title">Issues</h2>
        <IssueTable
          projectKey={d.project.key}
          site={d.site}
          filters={d.filters}
          sort={d.sort}
          table={d.table}
          now={props.now}
          progress={{ shown: d.table.issues.length, total: d.split.total }}
        />
      </section>
    </div>
  )
}

export const ProjectDashboardView = (props: {
  d: ProjectDashboard
  now: Date
  freshForMs?: number | undefined
  limited?: boolean | undefined
}) => {
  const { d } = props
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
            href={`/projects/${encodeURIComponent(d.project.key)}${filterParams(d.filters, { refresh: "1" }, d.sort)}`}
          >
            Refresh
          </a>
        </div>
      </div>
      <p class="muted">Lead: {d.project.lead?.displayName ?? "none"}.</p>
      <Filters d={d} />
      <ProjectView d={d} now={props.now} />
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
export const IssuesFailed = ({ message, inPlaceOf }: { message: string; inPlaceOf: "table" | "load-more" | "view" }) =>
  inPlaceOf === "view" ? (
    <div id="project-view">
      <ErrorPanel message={message} />
    </div>
  ) : inPlaceOf === "table" ? (
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
