import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import fc from "fast-check"
import { asManager, asViewer } from "../../src/authorization.ts"
import type { StatusCategory } from "../../src/domain/issues.ts"
import {
  assigneeClause,
  type IssueFilters,
  NO_PRIORITY_FILTER,
  priorityClause,
  UNASSIGNED_FILTER,
  viewJql
} from "../../src/domain/jql.ts"
import type { FakeIssue } from "../../src/testing/mini-jql.ts"
import {
  aFakeSite,
  anAdmin,
  aTestWorld,
  aViewer,
  FAKE_EMAIL,
  FAKE_SITE,
  FAKE_TOKEN
} from "../../src/testing/mothers.ts"
import { createCredential } from "../../src/usecases/credentials.ts"
import { listIssues } from "../../src/usecases/issue-table.ts"
import { connectJira } from "../../src/usecases/jira-config.ts"
import { SAMPLE_SIZE } from "../../src/usecases/jira-reads.ts"
import { projectDashboard } from "../../src/usecases/project-dashboard.ts"
import { readViewQuery } from "../../src/usecases/view-query.ts"

const NOW = new Date(0)

/** Parked issues: a status outside Jira's three categories ("No category"). */
const parked = (projectKey: string, n: number, issues: ReadonlyArray<FakeIssue>): Array<FakeIssue> => {
  let i = 0
  return issues.map((issue) =>
    issue.projectKey === projectKey && i++ % n === 0
      ? { ...issue, status: { name: "Parked", category: "undefined" as StatusCategory } }
      : issue
  )
}

const connected = Effect.fnUntraced(function* (mapIssues?: (issues: ReadonlyArray<FakeIssue>) => Array<FakeIssue>) {
  const site = aFakeSite(NOW)
  const world = aTestWorld({
    now: NOW,
    sites: { [FAKE_SITE]: { ...site, issues: mapIssues === undefined ? site.issues : mapIssues(site.issues) } }
  })
  const admin = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asManager(anAdmin()), Effect.provide(world.layer))
  const credential = yield* admin(
    createCredential({ name: "Bot", username: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN) })
  )
  yield* admin(connectJira({ name: "Acme", baseUrl: FAKE_SITE, credentialId: credential.id }))
  world.jira.calls.length = 0
  const view = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asViewer(aViewer()), Effect.provide(world.layer))
  /** What the fake site counts for a JQL (the same evaluator the counts go through). */
  const count = (jql: string) =>
    view(Effect.flatMap(Effect.succeed(jql), (q) => Effect.map(countOf(world, q), (n) => n)))
  return { world, view, count }
})

const countOf = (world: ReturnType<typeof aTestWorld>, jql: string) =>
  world.jira.source
    .countIssues({ site: FAKE_SITE, email: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN), cacheKey: "test" }, jql)
    .pipe(Effect.map((f) => f.value))

const countJqls = (world: ReturnType<typeof aTestWorld>) =>
  world.jira.calls.filter((c) => c.op === "countIssues").map((c) => c.jql)

describe("projectDashboard: the view", () => {
  it.effect("keeps the default page to five concurrent calls, with every part of the total counted", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected()
      const d = yield* view(projectDashboard({ projectKey: "ALPHA", query: {} }))
      expect(world.jira.calls).toHaveLength(5)
      expect(d.split.total).toBe(d.split.todo + d.split.inProgress + d.split.done + d.split.other)
      expect(d.notices).toEqual([])
      for (const part of ["todo", "inProgress", "done"] as const) expect(countJqls(world)).toContain(d.splitJql[part])
    })
  )

  it.effect("counts statuses without a category as Other, so the total equals the table's rows", () =>
    Effect.gen(function* () {
      // DESK has 7 issues: the sample holds them all, so Other comes from it without a fourth count.
      const { world, view, count } = yield* connected((issues) => parked("DESK", 3, issues))
      const d = yield* view(projectDashboard({ projectKey: "DESK", query: {} }))
      expect(d.split.other).toBeGreaterThan(0)
      expect(d.table.next).toBeNull()
      expect(d.split.total).toBe(d.table.issues.length)
      expect(world.jira.calls).toHaveLength(5)
      expect(yield* count(d.splitJql.other)).toBe(d.split.other)
      expect(d.statuses).toContainEqual({ name: "Parked", category: "undefined" })
    })
  )

  it.effect("asks Jira for the Other count when an incomplete sample shows such statuses", () =>
    Effect.gen(function* () {
      const { world, view, count } = yield* connected((issues) => parked("ALPHA", 5, issues))
      const d = yield* view(projectDashboard({ projectKey: "ALPHA", query: {} }))
      expect(d.sampleSize).toBe(SAMPLE_SIZE)
      expect(countJqls(world)).toContain(d.splitJql.other)
      expect(d.split.other).toBe(yield* count(d.splitJql.other))
      expect(d.split.total).toBe(yield* count(d.jql))
    })
  )

  it.effect("drops unknown filter values and sort with a notice, and still answers", () =>
    Effect.gen(function* () {
      const { view } = yield* connected()
      const d = yield* view(
        projectDashboard({
          projectKey: "ALPHA",
          query: { priority: "<script>", status: "status:Nope", assignee: "acc-nobody", sort: "rank", text: "" }
        })
      )
      expect(d.filters).toEqual({ status: undefined, priority: undefined, assignee: undefined, text: undefined })
      expect(d.sort).toBeNull()
      expect(d.notices).toEqual([
        "Ignored an unknown status filter value.",
        "Ignored an unknown priority filter value.",
        "Ignored an unknown assignee filter value.",
        "Ignored an unknown sort column."
      ])
    })
  )

  it.effect("sorts the table through ORDER BY and applies the filters to the counts and charts", () =>
    Effect.gen(function* () {
      const { world, view, count } = yield* connected()
      const d = yield* view(
        projectDashboard({
          projectKey: "ALPHA",
          query: { priority: "High", status: "status:Backlog", sort: "key", direction: "desc" }
        })
      )
      expect(d.sort).toEqual({ column: "key", direction: "desc" })
      const keys = d.table.issues.map((i) => Number(i.key.slice("ALPHA-".length)))
      expect(keys).toEqual([...keys].sort((a, b) => b - a))
      expect(d.table.issues.every((i) => i.priority?.name === "High" && i.status.name === "Backlog")).toBe(true)
      expect(d.byPriority.map((t) => t.label)).toEqual(["High"])
      expect(d.split.total).toBe(yield* count(d.jql))
      expect(d.split.total).toBe(d.split.todo)
      const searches = world.jira.calls.filter((c) => c.op === "searchIssues").map((c) => c.jql ?? "")
      expect(searches.some((jql) => jql.endsWith("ORDER BY key DESC, updated DESC"))).toBe(true)
    })
  )

  it("a drill-down link's JQL is the JQL its number was counted with, and counts that number (property)", async () => {
    const filters = fc.record(
      {
        status: fc.constantFrom(
          { kind: "category", category: "new" } as const,
          { kind: "category", category: "done" } as const,
          { kind: "category", category: "undefined" } as const,
          { kind: "status", name: "Backlog" } as const,
          { kind: "status", name: "In Arbeit" } as const
        ),
        priority: fc.constantFrom("Highest", "Low", NO_PRIORITY_FILTER),
        assignee: fc.constantFrom("acc-ada", "acc-bot", UNASSIGNED_FILTER),
        text: fc.constantFrom("Issue 1", "quotes", "nothing like this")
      },
      { requiredKeys: [] }
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("ALPHA", "BETA", "DESK"), filters, (projectKey, f: IssueFilters) =>
        Effect.runPromise(
          Effect.gen(function* () {
            const { world, view, count } = yield* connected((issues) => parked("BETA", 4, issues))
            const d = yield* view(projectDashboard({ projectKey, filters: f }))
            const counted = countJqls(world)
            for (const part of ["todo", "inProgress", "done"] as const) {
              expect(counted).toContain(d.splitJql[part])
              expect(yield* count(d.splitJql[part])).toBe(d.split[part])
            }
            expect(yield* count(d.splitJql.other)).toBe(d.split.other)
            expect(yield* count(d.splitJql.total)).toBe(d.split.total)
            expect(d.splitJql.total).toBe(viewJql(d.view))
            // The filtered table walks to exactly the filtered total.
            let rows = d.table.issues.length
            let next = d.table.next
            while (next !== null) {
              const page = yield* view(listIssues({ projectKey, filters: f, cursor: next }))
              rows += page.table.issues.length
              next = page.table.next
            }
            expect(rows).toBe(d.split.total)
            // With the whole view in the sample, every bar's link counts the bar.
            if (d.sampleSize < SAMPLE_SIZE) {
              for (const t of d.byPriority)
                expect(yield* count(viewJql(d.view, [priorityClause(t.value ?? "")]))).toBe(t.count)
              for (const t of d.byAssignee)
                expect(yield* count(viewJql(d.view, [assigneeClause(t.value ?? "")]))).toBe(t.count)
            }
          })
        )
      ),
      { numRuns: 40 }
    )
  })
})

describe("readViewQuery", () => {
  const known = {
    statuses: [{ name: "In Review", category: "indeterminate" as const }],
    priorities: ["High"],
    assignees: [{ accountId: "acc-1", displayName: "Ada" }]
  }
  it("keeps known values, categories, none and unassigned; defaults the sort direction per column", () => {
    expect(
      readViewQuery({ status: "status:In Review", priority: "none", assignee: "unassigned", sort: "updated" }, known)
    ).toEqual({
      filters: {
        status: { kind: "status", name: "In Review" },
        priority: "none",
        assignee: "unassigned",
        text: undefined
      },
      sort: { column: "updated", direction: "desc" },
      notices: []
    })
    expect(readViewQuery({ status: "other", sort: "priority", direction: "up" }, known)).toEqual({
      filters: {
        status: { kind: "category", category: "undefined" },
        priority: undefined,
        assignee: undefined,
        text: undefined
      },
      sort: { column: "priority", direction: "asc" },
      notices: ["Ignored an unknown sort direction."]
    })
  })
  it("never lets an unknown value through (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (status, priority, assignee) => {
        const { filters } = readViewQuery({ status, priority, assignee }, known)
        expect([undefined, "High", "none"]).toContain(filters.priority)
        expect([undefined, "acc-1", "unassigned"]).toContain(filters.assignee)
        if (filters.status?.kind === "status") expect(filters.status.name).toBe("In Review")
      })
    )
  })
})
