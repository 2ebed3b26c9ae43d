import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { asManager, asViewer } from "../../src/authorization.ts"
import { JiraRateLimited } from "../../src/errors.ts"
import { BypassCache } from "../../src/ports/IssueSource.ts"
import { anAdmin, aStranger, aTestWorld, aViewer, FAKE_EMAIL, FAKE_TOKEN } from "../../src/testing/mothers.ts"
import { listAuditLog } from "../../src/usecases/audit-log.ts"
import { createCredential } from "../../src/usecases/credentials.ts"
import { homeSummary } from "../../src/usecases/home.ts"
import { decodeCursor, listIssues } from "../../src/usecases/issue-table.ts"
import { connectJira } from "../../src/usecases/jira-config.ts"
import { SAMPLE_SIZE, TABLE_PAGE_SIZE } from "../../src/usecases/jira-reads.ts"
import { projectDashboard } from "../../src/usecases/project-dashboard.ts"
import { listProjects } from "../../src/usecases/projects.ts"

const NOW = new Date(0)

const connected = Effect.fnUntraced(function* (defaultJql?: string) {
  const world = aTestWorld({ now: NOW })
  const admin = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asManager(anAdmin()), Effect.provide(world.layer))
  const credential = yield* admin(
    createCredential({ name: "Bot", username: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN) })
  )
  yield* admin(
    connectJira({ name: "Acme", baseUrl: "https://acme.atlassian.net", credentialId: credential.id, defaultJql })
  )
  world.jira.calls.length = 0
  const view = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asViewer(aViewer()), Effect.provide(world.layer))
  return { world, view, admin }
})

describe("homeSummary", () => {
  it.effect("counts To Do, In Progress and Done under the default JQL, in three concurrent calls", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected()
      const summary = yield* view(homeSummary())
      // The fake site's issues fall in the last 60 days; the default JQL keeps the last 30.
      const recent = world.jira.calls
      expect(recent).toHaveLength(3)
      expect(recent.every((c) => c.op === "countIssues" && c.jql?.startsWith("(updated >= -30d) AND"))).toBe(true)
      expect(summary.split.open).toBe(summary.split.todo + summary.split.inProgress)
      expect(summary.split.todo).toBeGreaterThan(0)
      expect(summary.jql).toBe("updated >= -30d ORDER BY updated DESC")
      expect(summary.connectionName).toBe("Acme")
    })
  )

  it.effect("fails NotConnected before any connection, and NotPermitted without dashboard.view", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      expect((yield* homeSummary().pipe(asViewer(aViewer()), Effect.provide(world.layer), Effect.flip))._tag).toBe(
        "NotConnected"
      )
      expect((yield* homeSummary().pipe(asViewer(aStranger()), Effect.provide(world.layer), Effect.flip))._tag).toBe(
        "NotPermitted"
      )
    })
  )

  it.effect("passes Jira's errors through, typed", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected()
      world.jira.faults.failNext(
        "countIssues",
        new JiraRateLimited({ retryAfterSeconds: 30, reason: "jira-burst-based" })
      )
      const error = yield* view(homeSummary()).pipe(Effect.flip)
      expect(error.message).toBe("Jira is rate limiting this site; retrying in 30 s.")
    })
  )

  it.effect("is scoped to the viewer's workspace", () =>
    Effect.gen(function* () {
      const { world } = yield* connected()
      const other = yield* homeSummary().pipe(asViewer(aViewer(2)), Effect.provide(world.layer), Effect.flip)
      expect(other._tag).toBe("NotConnected")
    })
  )

  it.effect("lets the caller ask for fresh data", () =>
    Effect.gen(function* () {
      const { view } = yield* connected()
      const summary = yield* view(homeSummary()).pipe(Effect.provideService(BypassCache, true))
      expect(summary.fetchedAt).toEqual(NOW)
    })
  )
})

describe("listProjects", () => {
  it.effect("pages and searches through Jira's own paging, one call per page", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected()
      const page = yield* view(listProjects({}))
      expect(page.projects.map((p) => p.key)).toEqual(["ALPHA", "BETA", "DESK", "IDEA"])
      expect(page.total).toBe(4)
      const found = yield* view(listProjects({ query: "desk" }))
      expect(found.projects.map((p) => p.key)).toEqual(["DESK"])
      expect(world.jira.calls).toHaveLength(2)
      expect((yield* view(listProjects({ query: "x".repeat(201) })).pipe(Effect.flip))._tag).toBe("InvalidInput")
    })
  )
})

describe("projectDashboard", () => {
  it.effect("needs at most five concurrent calls and tallies the charts from the 100 most recent issues", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected("project = ALPHA OR project = BETA ORDER BY updated DESC")
      const page = yield* view(projectDashboard({ projectKey: "alpha" }))
      expect(world.jira.calls.length).toBeLessThanOrEqual(5)
      expect(page.project.name).toBe("Alpha")
      expect(page.sampleSize).toBe(SAMPLE_SIZE)
      expect(page.byPriority.reduce((n, t) => n + t.count, 0)).toBe(SAMPLE_SIZE)
      expect(page.byAssignee.map((t) => t.label)).toContain("Unassigned")
      expect(page.split.total).toBe(230)
      expect(page.table.issues).toHaveLength(TABLE_PAGE_SIZE)
      expect(page.table.next).not.toBeNull()
      // The default's OR stays inside its parentheses: only ALPHA issues come back.
      expect(page.table.issues.every((i) => i.key.startsWith("ALPHA-"))).toBe(true)
      const searches = world.jira.calls.filter((c) => c.op === "searchIssues")
      expect(searches).toHaveLength(1)
      expect(searches[0]?.jql).toBe('(project = ALPHA OR project = BETA) AND (project = "ALPHA") ORDER BY updated DESC')
    })
  )

  it.effect("runs a separate table search when filters are set", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected()
      const page = yield* view(projectDashboard({ projectKey: "ALPHA", filters: { assignee: "unassigned" } }))
      expect(page.table.issues.every((i) => i.assignee === null)).toBe(true)
      expect(world.jira.calls.filter((c) => c.op === "searchIssues")).toHaveLength(2)
    })
  )

  it.effect("answers NotFound for a project the site lacks, InvalidInput for a malformed key", () =>
    Effect.gen(function* () {
      const { view } = yield* connected()
      const missing = yield* view(projectDashboard({ projectKey: "NOPE" })).pipe(Effect.flip)
      expect(missing._tag).toBe("NotFound")
      const bad = yield* view(projectDashboard({ projectKey: 'A" OR 1=1' })).pipe(Effect.flip)
      expect(bad._tag).toBe("InvalidInput")
    })
  )
})

describe("listIssues", () => {
  it.effect("walks the whole project with load-more cursors, without gaps or repeats", () =>
    Effect.gen(function* () {
      const { view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const keys: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { table: { issues: ReadonlyArray<{ key: string }>; next: string | null } } = yield* view(
          listIssues({ projectKey: "ALPHA", filters: {}, cursor })
        )
        keys.push(...page.table.issues.map((i) => i.key))
        cursor = page.table.next
        pages++
      } while (cursor !== null && pages < 100)
      expect(keys).toHaveLength(230)
      expect(new Set(keys).size).toBe(230)
      expect(keys[0]).toBe("ALPHA-1")
    })
  )

  it.effect("keeps filter values literal and never widens the scope", () =>
    Effect.gen(function* () {
      const { view } = yield* connected()
      const page = yield* view(listIssues({ projectKey: "ALPHA", filters: { text: '" OR project = "BETA' } }))
      expect(page.table.issues).toHaveLength(0)
      expect(page.jql).toContain('text ~ "\\" OR project = \\"BETA"')
    })
  )

  it.effect("starts the table over, flagged, when Jira refuses the cursor's page token", () =>
    Effect.gen(function* () {
      const { view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const first = yield* view(listIssues({ projectKey: "ALPHA", filters: {} }))
      expect(first.table.restarted).toBeUndefined()
      const stale = yield* view(listIssues({ projectKey: "ALPHA", filters: {}, cursor: "50.expired-token" }))
      expect(stale.table.restarted).toBe(true)
      expect(stale.table.issues.map((i) => i.key)).toEqual(first.table.issues.map((i) => i.key))
      expect(stale.table.next).toBe(first.table.next)
    })
  )

  it.effect("refuses a tampered cursor", () =>
    Effect.gen(function* () {
      expect((yield* decodeCursor("7.abc").pipe(Effect.flip))._tag).toBe("InvalidInput")
      expect((yield* decodeCursor("x").pipe(Effect.flip))._tag).toBe("InvalidInput")
      expect(yield* decodeCursor("25.")).toEqual({ pageToken: null, skip: 25 })
    })
  )
})

describe("listAuditLog", () => {
  it.effect("lists the workspace's events newest first, for managers only", () =>
    Effect.gen(function* () {
      const { world, admin } = yield* connected()
      const events = yield* admin(listAuditLog({}))
      expect(events.map((e) => e.action)).toEqual(["JIRA_CONFIG_CREATED", "CREDENTIAL_CREATED"])
      const viewer = yield* listAuditLog({}).pipe(asManager(aViewer()), Effect.provide(world.layer), Effect.flip)
      expect(viewer._tag).toBe("NotPermitted")
    })
  )
})
