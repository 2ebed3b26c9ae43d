import type { CoreError, ProjectsPage } from "@sciple/jira-core"
import { Result } from "effect"
import { Avatar, ErrorPanel, FetchedAt, Spinner } from "./components.tsx"
import { formatCount } from "./format.ts"

/** Projects: every project the connection sees, with search and Jira's own paging. */

const TYPE_LABEL: Record<string, string> = {
  software: "Software",
  business: "Business",
  service_desk: "Service management",
  product_discovery: "Product discovery"
}

export const projectsUrl = (query: string, pageNumber: number, base = "/projects") => {
  const params = new URLSearchParams()
  if (query !== "") params.set("q", query)
  if (pageNumber > 1) params.set("page", String(pageNumber))
  const s = params.toString()
  return s === "" ? base : `${base}?${s}`
}

const PageLink = (props: { query: string; page: number; label: string; rel: string }) => (
  <a
    href={projectsUrl(props.query, props.page)}
    hx-get={projectsUrl(props.query, props.page, "/fragments/projects")}
    hx-target="#project-results"
    hx-swap="outerHTML"
    hx-indicator="#projects-spinner"
    rel={props.rel}
  >
    {props.label}
  </a>
)

export const ProjectResults = (props: {
  result: Result.Result<ProjectsPage, CoreError>
  now: Date
  freshForMs?: number | undefined
  limited?: boolean | undefined
}) => {
  if (Result.isFailure(props.result)) {
    return (
      <div id="project-results">
        {props.result.failure._tag === "NotConnected" ? (
          <div class="callout">
            <p>{props.result.failure.message}</p>
          </div>
        ) : (
          <ErrorPanel message={props.result.failure.message} />
        )}
      </div>
    )
  }
  const r = props.result.success
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize))
  const first = (r.page - 1) * r.pageSize + 1
  return (
    <div id="project-results">
      <p class="muted" aria-live="polite">
        {r.total === 0
          ? r.query === ""
            ? "The connected account cannot see any project."
            : `No project matches “${r.query}”.`
          : `${formatCount(r.total)} project${r.total === 1 ? "" : "s"}${r.query === "" ? "" : ` matching “${r.query}”`}; showing ${first}–${first + r.projects.length - 1}.`}{" "}
        <FetchedAt at={r.fetchedAt} now={props.now} freshForMs={props.freshForMs} limited={props.limited} />{" "}
        <button
          type="button"
          class="link-button"
          hx-get={`${projectsUrl(r.query, r.page, "/fragments/projects")}${r.query === "" && r.page === 1 ? "?" : "&"}refresh=1`}
          hx-target="#project-results"
          hx-swap="outerHTML"
          hx-indicator="#projects-spinner"
        >
          Refresh
        </button>
      </p>
      {r.projects.length > 0 && (
        <table class="stacked">
          <caption class="visually-hidden">Jira projects</caption>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Key</th>
              <th scope="col">Lead</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {r.projects.map((p) => (
              <tr>
                <td data-label="Project">
                  <span class="person">
                    <Avatar url={p.avatarUrl} label={p.name} size={24} />
                    <a href={`/projects/${encodeURIComponent(p.key)}`}>{p.name}</a>
                  </span>
                </td>
                <td data-label="Key">
                  <code>{p.key}</code>
                </td>
                <td data-label="Lead">{p.lead?.displayName ?? <span class="muted">No lead</span>}</td>
                <td data-label="Type">{TYPE_LABEL[p.projectTypeKey] ?? p.projectTypeKey}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label="Project pages">
          {r.page > 1 && <PageLink query={r.query} page={r.page - 1} label="← Previous" rel="prev" />}
          <span>
            Page {r.page} of {pages}
          </span>
          {r.page < pages && <PageLink query={r.query} page={r.page + 1} label="Next →" rel="next" />}
        </nav>
      )}
    </div>
  )
}

export const ProjectsView = (props: Parameters<typeof ProjectResults>[0] & { query: string }) => (
  <>
    <h1>Projects</h1>
    <section class="panel">
      <search aria-label="Projects">
        <form
          class="filters"
          method="get"
          action="/projects"
          hx-get="/fragments/projects"
          hx-target="#project-results"
          hx-swap="outerHTML"
          hx-trigger="submit, input changed delay:300ms from:#project-search"
          hx-indicator="#projects-spinner"
        >
          <label>
            Search projects
            <input
              id="project-search"
              type="search"
              name="q"
              value={props.query}
              maxlength={200}
              placeholder="Key or name"
            />
          </label>
          <button type="submit">Search</button>
          <Spinner id="projects-spinner" />
        </form>
      </search>
      <ProjectResults result={props.result} now={props.now} freshForMs={props.freshForMs} limited={props.limited} />
    </section>
  </>
)

/** The results' place when the search itself was refused (too long a query): the reason, in place of the list. */
export const ProjectSearchRefused = ({ message }: { message: string }) => (
  <div id="project-results">
    <p class="field-error">{message}</p>
  </div>
)
