import {
  type Fetched,
  IssueSource,
  type JiraConnection,
  type JiraError,
  type JiraIssue,
  type JiraProject
} from "@sciple/jira-core"
import { Effect } from "effect"

/** Helpers that walk Jira's pages through the IssueSource port, each with a hard cap on pages. */

const PAGE = 100

const earliest = (dates: ReadonlyArray<Date>): Date => new Date(Math.min(...dates.map((d) => d.getTime())))

export interface AllProjects {
  readonly projects: ReadonlyArray<JiraProject>
  /** Jira's total from the first page. */
  readonly total: number
  /** False when the page cap stopped the walk before Jira's last page. */
  readonly complete: boolean
}

/**
 * Every project the account can see, to the page that says isLast: the first page gives `total`, the rest
 * are fetched concurrently (`concurrency`, default 8, the adapter's per-site limit), at most `maxPages`
 * pages of 100 (default 50).
 */
export const listAllProjects = (
  connection: JiraConnection,
  options: { readonly query?: string; readonly maxPages?: number; readonly concurrency?: number } = {}
): Effect.Effect<Fetched<AllProjects>, JiraError, IssueSource> =>
  Effect.gen(function* () {
    const source = yield* IssueSource
    const query = options.query ?? ""
    const maxPages = Math.max(1, Math.floor(options.maxPages ?? 50))
    const first = yield* source.listProjects(connection, { startAt: 0, maxResults: PAGE, query })
    const { total } = first.value
    if (first.value.isLast) {
      return { value: { projects: first.value.projects, total, complete: true }, fetchedAt: first.fetchedAt }
    }
    const wanted = Math.ceil(total / PAGE)
    const starts = Array.from({ length: Math.max(0, Math.min(wanted, maxPages) - 1) }, (_, i) => (i + 1) * PAGE)
    const rest = yield* Effect.forEach(
      starts,
      (startAt) => source.listProjects(connection, { startAt, maxResults: PAGE, query }),
      { concurrency: Math.max(1, options.concurrency ?? 8) }
    )
    const pages = [first, ...rest]
    // Projects created since the first page push the end further: go on, one page at a time, to isLast.
    let last = pages[pages.length - 1] ?? first
    while (!last.value.isLast && last.value.projects.length > 0 && pages.length < maxPages) {
      last = yield* source.listProjects(connection, { startAt: last.value.startAt + PAGE, maxResults: PAGE, query })
      pages.push(last)
    }
    // Projects created or deleted between pages can shift the offsets: keep each project once.
    const byId = new Map<string, JiraProject>()
    for (const page of pages) for (const project of page.value.projects) byId.set(project.id, project)
    return {
      value: { projects: [...byId.values()], total, complete: last.value.isLast },
      fetchedAt: earliest(pages.map((page) => page.fetchedAt))
    }
  })

export interface IssueWalk {
  readonly issues: ReadonlyArray<JiraIssue>
  /** Where the walk stopped: null when every page was read. */
  readonly nextPageToken: string | null
}

/**
 * The issues matching `jql`, page after page (Jira's token pages come only in order), stopping after
 * `maxPages` pages (default 10) of `pageSize` (default 100).
 */
export const searchAllIssues = (
  connection: JiraConnection,
  jql: string,
  options: { readonly pageSize?: number; readonly maxPages?: number } = {}
): Effect.Effect<Fetched<IssueWalk>, JiraError, IssueSource> =>
  Effect.gen(function* () {
    const source = yield* IssueSource
    const maxPages = Math.max(1, Math.floor(options.maxPages ?? 10))
    const pageSize = options.pageSize ?? PAGE
    const issues: Array<JiraIssue> = []
    const times: Array<Date> = []
    let token: string | null = null
    let pages = 0
    do {
      const page: Fetched<{ readonly issues: ReadonlyArray<JiraIssue>; readonly nextPageToken: string | null }> =
        yield* source.searchIssues(connection, { jql, pageSize, pageToken: token })
      issues.push(...page.value.issues)
      times.push(page.fetchedAt)
      token = page.value.nextPageToken
      pages++
    } while (token !== null && pages < maxPages)
    return { value: { issues, nextPageToken: token }, fetchedAt: earliest(times) }
  })
