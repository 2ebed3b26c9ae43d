import type { ExactCounts } from "@sciple/jira-core"
import { issueSearchUrl } from "@sciple/jira-core"
import { BarChart, ErrorPanel, Spinner, Time } from "./components.tsx"

/** "Count all" on the project page: the control under the sampled charts, and the exact charts that replace them. */

/** `query`: the table's filters as a query string (with its `?`, or empty), so each link counts what the table shows. */
const exactUrl = (projectKey: string, query: string) =>
  `/fragments/projects/${encodeURIComponent(projectKey)}/exact-counts${query}`

/** Under the sampled charts: says they are a sample, and counts everything when pressed (nothing before). */
export const CountAll = (props: { projectKey: string; query: string; sampleSize: number }) => (
  <div class="count-all">
    <p class="muted">Sampled: these charts are tallied from the {props.sampleSize} most recent matching issues.</p>
    <button
      type="button"
      class="secondary"
      hx-get={exactUrl(props.projectKey, props.query)}
      hx-target="#charts"
      hx-swap="outerHTML"
      hx-indicator="#count-all-spinner"
    >
      Count all
    </button>{" "}
    <Spinner id="count-all-spinner" />
    <div id="count-all-result" />
  </div>
)

/** The charts with every matching issue counted, in place of the sampled ones. */
export const ExactCharts = (props: { exact: ExactCounts; now: Date }) => {
  const { exact } = props
  const caption = `Exact counts of all ${exact.total} matching issues.`
  return (
    <section id="charts" class="panel charts" aria-labelledby="charts-title" tabindex={-1}>
      <h2 id="charts-title" class="visually-hidden">
        Breakdowns
      </h2>
      {exact.notices.length > 0 && (
        <div class="callout exact-label">
          {exact.notices.map((n) => (
            <p>{n}</p>
          ))}
        </div>
      )}
      <p class="exact-label" role="status">
        Exact counts (as of <Time date={exact.fetchedAt} now={props.now} />)
      </p>
      {/* Each bar opens the Jira search it was counted with, in a new tab. */}
      <BarChart
        id="by-priority"
        title="By priority"
        caption={caption}
        data={exact.byPriority}
        hrefOf={(row) => issueSearchUrl(exact.site, row.jql)}
      />
      <BarChart
        id="by-assignee"
        title="By assignee"
        caption={caption}
        data={exact.byAssignee}
        hrefOf={(row) => issueSearchUrl(exact.site, row.jql)}
      />
    </section>
  )
}

/** Counting failed: the reason beside the control; the sampled charts stay. */
export const CountAllFailed = ({ message }: { message: string }) => <ErrorPanel message={message} />

/** The issue table's rows as a CSV download, with the table's current filters. */
export const CsvLink = (props: { projectKey: string; query: string }) => (
  <p class="table-tools">
    <a href={`/projects/${encodeURIComponent(props.projectKey)}/issues.csv${props.query}`} download>
      Download CSV
    </a>
  </p>
)
