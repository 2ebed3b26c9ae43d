import {
  asViewer,
  BypassCache,
  type IssueFilters,
  type IssueTablePage,
  listIssues,
  type ProjectDashboard,
  projectDashboard,
  SAMPLE_SIZE,
  type SiteUrl
} from "@sciple/jira-core"
import { Effect, Result } from "effect"
import type { Context, Hono } from "hono"
import { Avatar, BarChart, ErrorPanel, FetchedAt, IssueRows, Spinner, StatCard } from "../../views/components.tsx"
import { requireSignIn } from "../auth.tsx"
import { statusOf } from "../errors.ts"
import { type AppDeps, type AppEnv, attempt } from "../runtime.ts"
import { errorPage, page, refreshLimited, wantsFresh } from "./page.tsx"

const CATEGORIES = [
  { value: "new", label: "To Do" },
  { value: "indeterminate", label: "In Progress" },
  { value: "done", label: "Done" }
] as const

/** Filters from the URL; unknown values are dropped rather than sent to Jira. */
const readFilters = (c: Context): IssueFilters => {
  const status = c.req.query("status")
  const clip = (v: string | undefined, max: number) => (v === undefined || v === "" ? undefined : v.slice(0, max))
  return {
    statusCategory: CATEGORIES.find((x) => x.value === status)?.value,
    priority: clip(c.req.query("priority"), 100),
    assignee: clip(c.req.query("assignee"), 128),
    text: clip(c.req.query("q"), 200)
  }
}

const filterParams = (filters: IssueFilters, extra: Record<string, string> = {}) => {
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

const LoadMore = (props: { projectKey: string; filters: IssueFilters; next: string | null }) =>
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

const Dashboard = (props: {
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
      <section class="panel charts" aria-labelledby="charts-title">
        <h2 id="charts-title" class="visually-hidden">
          Breakdowns
        </h2>
        <BarChart id="by-priority" title="By priority" caption={caption} data={d.byPriority} />
        <BarChart id="by-assignee" title="By assignee" caption={caption} data={d.byAssignee} />
      </section>
      <section class="panel" aria-labelledby="issues-title">
        <h2 id="issues-title">Issues</h2>
        <Filters d={d} />
        <IssueTable projectKey={d.project.key} site={d.site} filters={d.filters} table={d.table} now={props.now} />
      </section>
    </>
  )
}

export const projectPageRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  app.get("/projects/:key", requireSignIn, async (c) => {
    const filters = readFilters(c)
    const result = await attempt(
      deps,
      projectDashboard({ projectKey: c.req.param("key"), filters }).pipe(
        asViewer(c.get("auth")!.principal),
        Effect.provideService(BypassCache, wantsFresh(c))
      )
    )
    if (Result.isSuccess(result))
      return page(
        c,
        deps,
        result.success.project.name,
        "projects",
        <Dashboard d={result.success} now={deps.now()} freshForMs={deps.jiraFreshForMs} limited={refreshLimited(c)} />
      )
    const error = result.failure
    if (statusOf(error) < 500 && error._tag !== "NotConnected" && error._tag !== "JiraInvalidJql")
      return errorPage(c, deps, error)
    return page(
      c,
      deps,
      c.req.param("key"),
      "projects",
      <>
        <h1>{c.req.param("key")}</h1>
        <ErrorPanel message={error.message}>
          <p>
            <a href={c.req.url}>Try again</a> · <a href="/projects">All projects</a>
          </p>
        </ErrorPanel>
      </>,
      statusOf(error) as 502
    )
  })

  app.get("/fragments/projects/:key/issues", requireSignIn, async (c) => {
    const filters = readFilters(c)
    const cursor = c.req.query("cursor") ?? null
    const result = await attempt(
      deps,
      listIssues({ projectKey: c.req.param("key"), filters, cursor }).pipe(asViewer(c.get("auth")!.principal))
    )
    if (Result.isFailure(result)) {
      const status = statusOf(result.failure)
      const message = <ErrorPanel message={result.failure.message} />
      return cursor === null
        ? c.html(<div id="issue-table">{message}</div>, status)
        : c.html(
            <tr id="load-more-row">
              <td colspan={6}>{message}</td>
            </tr>,
            status
          )
    }
    const r = result.success
    if (cursor !== null && r.table.restarted === true) {
      // Rows of the first page appended below later ones would repeat: the whole table starts over instead.
      c.header("HX-Retarget", "#issue-table")
      c.header("HX-Reswap", "outerHTML")
    } else if (cursor !== null) {
      return c.html(
        <>
          <IssueRows issues={r.table.issues} site={r.site} now={deps.now()} />
          <LoadMore projectKey={r.projectKey} filters={filters} next={r.table.next} />
        </>
      )
    }
    c.header("HX-Push-Url", `/projects/${encodeURIComponent(r.projectKey)}${filterParams(filters)}`)
    return c.html(
      <IssueTable projectKey={r.projectKey} site={r.site} filters={filters} table={r.table} now={deps.now()} />
    )
  })
}
