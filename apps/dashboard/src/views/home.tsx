import type { CoreError, HomeSummary } from "@sciple/jira-core"
import { issueSearchUrl } from "@sciple/jira-core"
import { Result } from "effect"
import { ErrorPanel, FetchedAt, Spinner, SplitBar, StatCard } from "./components.tsx"

/** Home: the Jira widget (open issues with the To Do / In Progress / Done split) and its Refresh. */

const RefreshButton = () => (
  <button
    type="button"
    class="secondary"
    hx-get="/fragments/jira-widget?refresh=1"
    hx-target="#jira-widget"
    hx-swap="outerHTML"
    hx-indicator="#jira-widget-spinner"
  >
    Refresh
  </button>
)

export const JiraWidget = (props: {
  result: Result.Result<HomeSummary, CoreError>
  canManage: boolean
  now: Date
  freshForMs?: number | undefined
  limited?: boolean | undefined
}) => {
  const { result } = props
  return (
    <section id="jira-widget" class="panel" aria-labelledby="jira-widget-title">
      <div class="panel-head">
        <h2 id="jira-widget-title">Jira</h2>
        <div class="actions">
          {Result.isSuccess(result) && (
            <FetchedAt
              at={result.success.fetchedAt}
              now={props.now}
              freshForMs={props.freshForMs}
              limited={props.limited}
            />
          )}
          <Spinner id="jira-widget-spinner" />
          {!(Result.isFailure(result) && result.failure._tag === "NotConnected") && <RefreshButton />}
        </div>
      </div>
      {Result.isSuccess(result) ? (
        <>
          <div class="stats">
            <StatCard
              label="Open issues"
              value={result.success.split.open}
              href={issueSearchUrl(result.success.site, result.success.splitJql.open)}
            />
            <StatCard
              label="To Do"
              value={result.success.split.todo}
              tone="tone-new"
              href={issueSearchUrl(result.success.site, result.success.splitJql.todo)}
            />
            <StatCard
              label="In Progress"
              value={result.success.split.inProgress}
              tone="tone-indeterminate"
              href={issueSearchUrl(result.success.site, result.success.splitJql.inProgress)}
            />
            <StatCard
              label="Done"
              value={result.success.split.done}
              tone="tone-done"
              href={issueSearchUrl(result.success.site, result.success.splitJql.done)}
            />
          </div>
          <SplitBar
            todo={result.success.split.todo}
            inProgress={result.success.split.inProgress}
            done={result.success.split.done}
          />
          <div class="legend" aria-hidden="true">
            <span>
              <span class="dot dot-new" />
              To Do
            </span>
            <span>
              <span class="dot dot-indeterminate" />
              In Progress
            </span>
            <span>
              <span class="dot dot-done" />
              Done
            </span>
          </div>
          <p class="muted">
            Scoped by <code class="jql">{result.success.jql}</code> on {result.success.site}. Counts are Jira's
            estimates. <a href="/projects">Browse projects</a>
          </p>
        </>
      ) : result.failure._tag === "NotConnected" ? (
        <div class="callout">
          <p>Jira is not connected to this workspace yet.</p>
          {props.canManage ? (
            <a class="button" href="/manage/integrations/jira">
              Connect Jira
            </a>
          ) : (
            <p class="muted">Ask a workspace administrator to connect it.</p>
          )}
        </div>
      ) : (
        <ErrorPanel message={result.failure.message} />
      )}
    </section>
  )
}

export const HomeView = (props: Parameters<typeof JiraWidget>[0]) => (
  <>
    <h1>Home</h1>
    <JiraWidget {...props} />
  </>
)
