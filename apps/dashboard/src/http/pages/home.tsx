import { asViewer, BypassCache, type HomeSummary, homeSummary, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect, Result } from "effect"
import type { Hono } from "hono"
import { ErrorPanel, FetchedAt, Spinner, SplitBar, StatCard } from "../../views/components.tsx"
import { requireSignIn } from "../auth.tsx"
import type { TaggedError } from "../errors.ts"
import { type AppDeps, type AppEnv, attempt } from "../runtime.ts"
import { page, refreshLimited, wantsFresh } from "./page.tsx"

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
  result: Result.Result<HomeSummary, TaggedError>
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
            <StatCard label="Open issues" value={result.success.split.open} />
            <StatCard label="To Do" value={result.success.split.todo} tone="tone-new" />
            <StatCard label="In Progress" value={result.success.split.inProgress} tone="tone-indeterminate" />
            <StatCard label="Done" value={result.success.split.done} tone="tone-done" />
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

const loadWidget = (deps: AppDeps, principal: Parameters<typeof asViewer>[0], fresh: boolean) =>
  attempt(deps, homeSummary().pipe(asViewer(principal), Effect.provideService(BypassCache, fresh)))

export const homeRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  app.get("/", requireSignIn, async (c) => {
    const auth = c.get("auth")!
    const result = await loadWidget(deps, auth.principal, wantsFresh(c))
    return page(
      c,
      deps,
      "Home",
      "home",
      <>
        <h1>Home</h1>
        <JiraWidget
          result={result}
          canManage={auth.principal.can(SETTINGS_MANAGE)}
          now={deps.now()}
          freshForMs={deps.jiraFreshForMs}
          limited={refreshLimited(c)}
        />
      </>
    )
  })

  app.get("/fragments/jira-widget", requireSignIn, async (c) => {
    const auth = c.get("auth")!
    const result = await loadWidget(deps, auth.principal, wantsFresh(c))
    if (Result.isFailure(result) && result.failure._tag === "NotPermitted")
      return c.html(<ErrorPanel message={result.failure.message} />, 403)
    return c.html(
      <JiraWidget
        result={result}
        canManage={auth.principal.can(SETTINGS_MANAGE)}
        now={deps.now()}
        freshForMs={deps.jiraFreshForMs}
        limited={refreshLimited(c)}
      />
    )
  })
}
