import {
  type Fetched,
  IssueSource,
  type JiraConnection,
  type JiraError,
  type JiraIssue,
  type JiraProject
} from "@sciple/jira-core"
import { Effect, Option, Stream } from "effect"

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
    const goesOn = (page: (typeof pages)[number], read: number) =>
      !page.value.isLast && page.value.projects.length > 0 && read < maxPages
    const tail = yield* Stream.runCollect(
      Stream.paginate(pages, (read) => {
        const last = read[read.length - 1] ?? first
        if (!goesOn(last, read.length)) return Effect.succeed([[], Option.none()] as const)
        return Effect.map(
          source.listProjects(connection, { startAt: last.value.startAt + PAGE, maxResults: PAGE, query }),
          (page) => [[page], Option.some([...read, page])] as const
        )
      })
    )
    const all = [...pages, ...tail]
    const last = all[all.length - 1] ?? first
    // Projects created or deleted between pages can shift the offsets: keep each project once.
    const byId = new Map<string, JiraProject>()
    for (const page of all) for (const project of page.value.projects) byId.set(project.id, project)
    return {
      value: { projects: [...byId.values()], total, complete: last.value.isLast },
      fetchedAt: earliest(all.map((page) => page.fetchedAt))
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
    // Jira's token pages come only in order: each page names the next, until none or the page cap.
    const pages = yield* Stream.runCollect(
      Stream.paginate({ token: null as string | null, read: 0 }, ({ token, read }) =>
        Effect.map(source.searchIssues(connection, { jql, pageSize, pageToken: token }), (page) => {
          const next = page.value.nextPageToken
          return [
            [page],
            next !== null && read + 1 < maxPages ? Option.some({ token: next, read: read + 1 }) : Option.none()
          ] as const
        })
      )
    )
    const last = pages[pages.length - 1]
    return {
      value: { issues: pages.flatMap((page) => page.value.issues), nextPageToken: last?.value.nextPageToken ?? null },
      fetchedAt: earliest(pages.map((page) => page.fetchedAt))
    }
  })
