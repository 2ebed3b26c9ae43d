import { describe, expect, it } from "@effect/vitest"
import { IssueSource } from "@sciple/jira-core"
import { Effect } from "effect"
import { delay, HttpResponse, http } from "msw"
import { listAllProjects, searchAllIssues } from "../src/paging.ts"
import { API, anIssue, connection, makeSource, useMsw } from "./support/jira-msw.ts"

const server = useMsw()

const withSource = (options: Parameters<typeof makeSource>[0] = {}) =>
  Effect.provideServiceEffect(IssueSource, makeSource(options))

/** A site with `total` projects PR0000...; counts requests and the most in flight at once. */
const projectSite = (total: number, reportedTotal = total) => {
  const stats = { requests: 0, inFlight: 0, peak: 0, starts: [] as Array<number> }
  server.use(
    http.get(`${API}/project/search`, async ({ request }) => {
      const params = new URL(request.url).searchParams
      const startAt = Number(params.get("startAt"))
      const maxResults = Number(params.get("maxResults"))
      stats.requests++
      stats.starts.push(startAt)
      stats.inFlight++
      stats.peak = Math.max(stats.peak, stats.inFlight)
      await delay(5)
      stats.inFlight--
      const values = Array.from({ length: Math.max(0, Math.min(maxResults, total - startAt)) }, (_, i) => {
        const n = String(startAt + i).padStart(4, "0")
        return { id: `1${n}`, key: `PR${n}`, name: `Project ${n}`, projectTypeKey: "software" }
      })
      return HttpResponse.json({
        startAt,
        maxResults,
        total: reportedTotal,
        isLast: startAt + values.length >= total,
        values
      })
    })
  )
  return stats
}

describe("listAllProjects", () => {
  it.live("reads the first page for the total, then the rest concurrently within the site's limit", () =>
    Effect.gen(function* () {
      const stats = projectSite(1234)
      const all = yield* listAllProjects(connection)
      expect(all.value.total).toBe(1234)
      expect(all.value.complete).toBe(true)
      expect(all.value.projects).toHaveLength(1234)
      expect(new Set(all.value.projects.map((p) => p.key)).size).toBe(1234)
      expect(stats.requests).toBe(13)
      expect(stats.starts[0]).toBe(0)
      expect(stats.peak).toBeGreaterThan(1)
      expect(stats.peak).toBeLessThanOrEqual(8)
    }).pipe(withSource())
  )

  it.live("stops at the page cap and says so", () =>
    Effect.gen(function* () {
      const stats = projectSite(5000)
      const all = yield* listAllProjects(connection, { maxPages: 4 })
      expect(all.value).toMatchObject({ total: 5000, complete: false })
      expect(all.value.projects).toHaveLength(400)
      expect(stats.requests).toBe(4)
    }).pipe(withSource())
  )

  it.live("the adapter's per-site limit bounds the fan-out whatever the helper's concurrency", () =>
    Effect.gen(function* () {
      const stats = projectSite(2000)
      yield* listAllProjects(connection, { concurrency: 50 })
      expect(stats.peak).toBeLessThanOrEqual(2)
    }).pipe(withSource({ maxInFlightPerSite: 2 }))
  )

  it.live("goes on to isLast when the site grew after the first page", () =>
    Effect.gen(function* () {
      const stats = projectSite(420, 150)
      const all = yield* listAllProjects(connection)
      expect(all.value).toMatchObject({ total: 150, complete: true })
      expect(all.value.projects).toHaveLength(420)
      expect(stats.requests).toBe(5)
    }).pipe(withSource())
  )

  it.live("one page is enough for a small site", () =>
    Effect.gen(function* () {
      const stats = projectSite(7)
      const all = yield* listAllProjects(connection, { query: "pro" })
      expect(all.value).toMatchObject({ total: 7, complete: true })
      expect(stats.requests).toBe(1)
    }).pipe(withSource())
  )
})

describe("searchAllIssues", () => {
  /** Issues ABC-1... in pages, with a token while more remain; counts pages served. */
  const issueSite = (total: number) => {
    const stats = { pages: 0 }
    server.use(
      http.post(`${API}/search/jql`, async ({ request }) => {
        const body = (await request.json()) as { maxResults: number; nextPageToken?: string }
        stats.pages++
        const offset = body.nextPageToken === undefined ? 0 : Number(body.nextPageToken)
        const count = Math.max(0, Math.min(body.maxResults, total - offset))
        const end = offset + count
        return HttpResponse.json({
          issues: Array.from({ length: count }, (_, i) => anIssue(`ABC-${offset + i + 1}`)),
          ...(end < total ? { nextPageToken: String(end), isLast: false } : { isLast: true })
        })
      })
    )
    return stats
  }

  it.effect("walks every page in order", () =>
    Effect.gen(function* () {
      const stats = issueSite(250)
      const walk = yield* searchAllIssues(connection, "project = ABC")
      expect(walk.value.issues.map((issue) => issue.key)).toEqual(Array.from({ length: 250 }, (_, i) => `ABC-${i + 1}`))
      expect(walk.value.nextPageToken).toBeNull()
      expect(stats.pages).toBe(3)
    }).pipe(withSource())
  )

  it.effect("stops at the page cap, leaving the token to go on from", () =>
    Effect.gen(function* () {
      const stats = issueSite(100_000)
      const walk = yield* searchAllIssues(connection, "project = ABC", { maxPages: 3, pageSize: 50 })
      expect(walk.value.issues).toHaveLength(150)
      expect(walk.value.nextPageToken).toBe("150")
      expect(stats.pages).toBe(3)
    }).pipe(withSource())
  )

  it.effect("has a default cap for a site that never stops", () =>
    Effect.gen(function* () {
      const stats = issueSite(Number.MAX_SAFE_INTEGER)
      const walk = yield* searchAllIssues(connection, "project = ABC")
      expect(stats.pages).toBe(10)
      expect(walk.value.nextPageToken).not.toBeNull()
    }).pipe(withSource())
  )
})
