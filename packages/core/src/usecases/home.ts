import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import { type StatusSplit, statusSplit } from "../domain/issues.ts"
import { scope, statusCategoryClause } from "../domain/jql.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import type { JiraConnection } from "../ports/IssueSource.ts"
import { countOf } from "./jira-reads.ts"
import { minDate, resolveConnection } from "./support.ts"

/** Counts by status category, all concurrently; Jira's counts are approximate. */
const splitFor = (connection: JiraConnection, where: string, clauses: ReadonlyArray<string>) =>
  Effect.all(
    {
      todo: countOf(connection, scope(where, [...clauses, statusCategoryClause("new")], "")),
      inProgress: countOf(connection, scope(where, [...clauses, statusCategoryClause("indeterminate")], "")),
      done: countOf(connection, scope(where, [...clauses, statusCategoryClause("done")], ""))
    },
    { concurrency: "unbounded" }
  ).pipe(
    Effect.map(({ todo, inProgress, done }) => ({
      split: statusSplit({ todo: todo.value, inProgress: inProgress.value, done: done.value }),
      fetchedAt: minDate([todo.fetchedAt, inProgress.fetchedAt, done.fetchedAt])
    }))
  )

export interface HomeSummary {
  readonly connectionName: string
  readonly site: SiteUrl
  readonly jql: string
  readonly split: StatusSplit
  /** The JQL each part of the split was counted with (the widget's links open them in Jira). */
  readonly splitJql: Readonly<Record<"open" | "todo" | "inProgress" | "done", string>>
  readonly fetchedAt: Date
}

/** The home widget: open issues (To Do + In Progress) and Done, scoped by the default JQL. */
export const homeSummary = Effect.fn("homeSummary")(function* () {
  const viewer = yield* DashboardViewer
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  const { split, fetchedAt } = yield* splitFor(connection, config.defaultJql, [])
  return {
    connectionName: config.name,
    site: config.baseUrl,
    jql: config.defaultJql,
    split,
    splitJql: {
      open: scope(config.defaultJql, [`statusCategory IN ("new", "indeterminate")`], ""),
      todo: scope(config.defaultJql, [statusCategoryClause("new")], ""),
      inProgress: scope(config.defaultJql, [statusCategoryClause("indeterminate")], ""),
      done: scope(config.defaultJql, [statusCategoryClause("done")], "")
    },
    fetchedAt
  } satisfies HomeSummary
})
