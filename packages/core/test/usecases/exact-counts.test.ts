import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { asManager, asViewer } from "../../src/authorization.ts"
import { JiraRateLimited } from "../../src/errors.ts"
import type { FakeSite } from "../../src/testing/issue-source.fake.ts"
import {
  aFakeSite,
  anAdmin,
  aStranger,
  aTestWorld,
  aViewer,
  FAKE_EMAIL,
  FAKE_SITE,
  FAKE_TOKEN,
  someIssues
} from "../../src/testing/mothers.ts"
import { createCredential } from "../../src/usecases/credentials.ts"
import { EVERYONE_ELSE, EXACT_TOP_ASSIGNEES, exactCounts, OTHER_PRIORITIES } from "../../src/usecases/exact-counts.ts"
import { connectJira } from "../../src/usecases/jira-config.ts"

const NOW = new Date(0)

const connected = Effect.fnUntraced(function* (defaultJql: string, site: FakeSite = aFakeSite(NOW)) {
  const world = aTestWorld({ now: NOW, sites: { [FAKE_SITE]: site } })
  const admin = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asManager(anAdmin()), Effect.provide(world.layer))
  const credential = yield* admin(
    createCredential({ name: "Bot", username: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN) })
  )
  yield* admin(connectJira({ name: "Acme", baseUrl: FAKE_SITE, credentialId: credential.id, defaultJql }))
  world.jira.calls.length = 0
  const view = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asViewer(aViewer()), Effect.provide(world.layer))
  return { world, view }
})

const sum = (rows: ReadonlyArray<{ count: number }>) => rows.reduce((n, row) => n + row.count, 0)

describe("exactCounts", () => {
  it.effect(
    "counts every issue of the project per priority and per assignee, each with the JQL it was counted with",
    () =>
      Effect.gen(function* () {
        const { world, view } = yield* connected("project = ALPHA ORDER BY key ASC")
        const exact = yield* view(exactCounts({ projectKey: "ALPHA" }))
        const all = someIssues("ALPHA", 230, NOW)
        expect(exact.total).toBe(230)
        const byLabel = Object.fromEntries(exact.byPriority.map((row) => [row.label, row.count]))
        expect(byLabel).toEqual({ Highest: 46, High: 46, Medium: 46, Low: 46, "No priority": 46 })
        const people = Object.fromEntries(exact.byAssignee.map((row) => [row.label, row.count]))
        expect(people.Unassigned).toBe(all.filter((i) => i.assignee === null).length)
        expect(people["Ada Lovelace"]).toBe(all.filter((i) => i.assignee?.displayName === "Ada Lovelace").length)
        expect(sum(exact.byPriority)).toBe(exact.total)
        expect(sum(exact.byAssignee)).toBe(exact.total)
        // One search (the sample), then one count per number: the total, 5 priorities, 3 people and Unassigned.
        expect(world.jira.calls.filter((c) => c.op === "searchIssues")).toHaveLength(1)
        const counts = world.jira.calls.filter((c) => c.op === "countIssues").map((c) => c.jql)
        expect(counts).toHaveLength(1 + 5 + 3 + 1)
        for (const row of [...exact.byPriority, ...exact.byAssignee]) expect(counts).toContain(row.jql)
        expect(exact.jql).toBe('(project = ALPHA) AND (project = "ALPHA")')
        expect(exact.byPriority.find((row) => row.label === "No priority")?.jql).toBe(
          '(project = ALPHA) AND (project = "ALPHA") AND (priority IS EMPTY)'
        )
        expect(exact.byAssignee.find((row) => row.label === "Ada Lovelace")?.jql).toBe(
          '(project = ALPHA) AND (project = "ALPHA") AND (assignee = "acc-ada")'
        )
      })
  )

  it.effect("applies the table's filters to every count", () =>
    Effect.gen(function* () {
      const { view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const exact = yield* view(exactCounts({ projectKey: "ALPHA", query: { assignee: "acc-ada" } }))
      const ada = someIssues("ALPHA", 230, NOW).filter((i) => i.assignee?.accountId === "acc-ada")
      expect(exact.total).toBe(ada.length)
      expect(exact.byAssignee).toEqual([
        { label: "Ada Lovelace", count: ada.length, jql: expect.stringContaining('(assignee = "acc-ada")') }
      ])
      expect(sum(exact.byPriority)).toBe(ada.length)
      for (const row of exact.byPriority) expect(row.jql).toContain('(assignee = "acc-ada")')
    })
  )

  it.effect("puts what the sample did not show into 'Other priorities' and 'Everyone else', with their JQL", () =>
    Effect.gen(function* () {
      // The 100 most recent issues are all High and assigned to one of 3 people; 60 older ones are Low, by 12 others.
      const recent = someIssues("ALPHA", 100, NOW).map((issue, i) => ({
        ...issue,
        priority: { name: "High", iconUrl: null },
        assignee: { accountId: `acc-${i % 3}`, displayName: `Person ${i % 3}`, avatarUrl: null }
      }))
      const older = someIssues("ALPHA", 60, new Date(NOW.getTime() - 90 * 86_400_000)).map((issue, i) => ({
        ...issue,
        key: `ALPHA-${200 + i}`,
        priority: { name: "Low", iconUrl: null },
        assignee: { accountId: `acc-old-${i % 12}`, displayName: `Old ${i % 12}`, avatarUrl: null }
      }))
      const site = { ...aFakeSite(NOW), issues: [...recent, ...older] }
      const { view } = yield* connected("project = ALPHA", site)
      const exact = yield* view(exactCounts({ projectKey: "ALPHA" }))
      expect(exact.total).toBe(160)
      expect(exact.byPriority.map((row) => [row.label, row.count])).toEqual([
        ["High", 100],
        [OTHER_PRIORITIES, 60]
      ])
      expect(exact.byPriority[1]?.jql).toBe('(project = ALPHA) AND (project = "ALPHA") AND (priority NOT IN ("High"))')
      const last = exact.byAssignee[exact.byAssignee.length - 1]
      expect(last).toEqual({
        label: EVERYONE_ELSE,
        count: 60,
        jql: '(project = ALPHA) AND (project = "ALPHA") AND (assignee NOT IN ("acc-0", "acc-1", "acc-2"))'
      })
      expect(sum(exact.byAssignee)).toBe(160)
    })
  )

  it.effect("gives at most the top assignees of the sample their own row", () =>
    Effect.gen(function* () {
      const many = someIssues("ALPHA", 100, NOW).map((issue, i) => ({
        ...issue,
        assignee: {
          accountId: `acc-${i % 20}`,
          displayName: `Person ${String(i % 20).padStart(2, "0")}`,
          avatarUrl: null
        }
      }))
      const { view } = yield* connected("project = ALPHA", { ...aFakeSite(NOW), issues: many })
      const exact = yield* view(exactCounts({ projectKey: "ALPHA" }))
      const named = exact.byAssignee.filter((row) => row.label.startsWith("Person"))
      expect(named).toHaveLength(EXACT_TOP_ASSIGNEES)
      expect(exact.byAssignee.map((row) => row.label)).toContain(EVERYONE_ELSE)
      expect(sum(exact.byAssignee)).toBe(100)
    })
  )

  it.effect("fails NotFound for a missing project, and NotPermitted without dashboard.view", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected("updated >= -30d")
      expect((yield* view(exactCounts({ projectKey: "NOPE" })).pipe(Effect.flip))._tag).toBe("NotFound")
      const refused = yield* exactCounts({ projectKey: "ALPHA" }).pipe(
        asViewer(aStranger()),
        Effect.provide(world.layer),
        Effect.flip
      )
      expect(refused._tag).toBe("NotPermitted")
    })
  )

  it.effect("passes a Jira failure of any count through, typed", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected("project = ALPHA")
      world.jira.faults.failNext(
        "countIssues",
        new JiraRateLimited({ retryAfterSeconds: 5, reason: "jira-burst-based" })
      )
      const error = yield* view(exactCounts({ projectKey: "ALPHA" })).pipe(Effect.flip)
      expect(error._tag).toBe("JiraRateLimited")
    })
  )
})
