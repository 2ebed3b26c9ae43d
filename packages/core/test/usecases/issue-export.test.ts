import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Stream } from "effect"
import { asManager, asViewer } from "../../src/authorization.ts"
import { JiraRateLimited } from "../../src/errors.ts"
import {
  anAdmin,
  aStranger,
  aTestWorld,
  aViewer,
  FAKE_EMAIL,
  FAKE_SITE,
  FAKE_TOKEN
} from "../../src/testing/mothers.ts"
import { createCredential } from "../../src/usecases/credentials.ts"
import { type ExportPart, exportIssues } from "../../src/usecases/issue-export.ts"
import { connectJira } from "../../src/usecases/jira-config.ts"

const NOW = new Date(0)

const connected = Effect.fnUntraced(function* (defaultJql: string) {
  const world = aTestWorld({ now: NOW })
  const admin = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asManager(anAdmin()), Effect.provide(world.layer))
  const credential = yield* admin(
    createCredential({ name: "Bot", username: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN) })
  )
  yield* admin(connectJira({ name: "Acme", baseUrl: FAKE_SITE, credentialId: credential.id, defaultJql }))
  world.jira.calls.length = 0
  const view = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asViewer(aViewer()), Effect.provide(world.layer))
  return { world, view }
})

const keysOf = (parts: ReadonlyArray<ExportPart>) =>
  parts.flatMap((p) => (p._tag === "Rows" ? p.issues : [])).map((i) => i.key)

describe("exportIssues", () => {
  it.effect("walks every page of the table's query in order, 100 at a time, and only when read", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const exported = yield* view(exportIssues({ projectKey: "ALPHA", query: {} }))
      expect(exported.jql).toBe('(project = ALPHA) AND (project = "ALPHA") ORDER BY key ASC')
      // The first page is fetched before anything is sent; the others as the stream is read.
      expect(world.jira.calls).toHaveLength(1)
      const parts = yield* Stream.runCollect(exported.parts)
      const keys = keysOf(parts)
      expect(keys).toHaveLength(230)
      expect(new Set(keys).size).toBe(230)
      expect(keys[0]).toBe("ALPHA-1")
      expect(parts.some((p) => p._tag === "Incomplete")).toBe(false)
      const searches = world.jira.calls.filter((c) => c.op === "searchIssues")
      expect(searches).toHaveLength(3)
      expect(searches.every((c) => c.jql === exported.jql)).toBe(true)
    })
  )

  it.effect("applies the filters", () =>
    Effect.gen(function* () {
      const { view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const exported = yield* view(
        exportIssues({ projectKey: "ALPHA", query: { priority: "High", assignee: "unassigned" } })
      )
      expect(exported.jql).toContain('(priority = "High") AND (assignee IS EMPTY)')
      const parts = yield* Stream.runCollect(exported.parts)
      const issues = parts.flatMap((p) => (p._tag === "Rows" ? p.issues : []))
      expect(issues.length).toBeGreaterThan(0)
      expect(issues.every((i) => i.priority?.name === "High" && i.assignee === null)).toBe(true)
    })
  )

  it.effect("stops at the row limit and says so, without fetching past it", () =>
    Effect.gen(function* () {
      const { world, view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const exported = yield* view(exportIssues({ projectKey: "ALPHA", query: {}, maxRows: 150 }))
      const parts = yield* Stream.runCollect(exported.parts)
      expect(keysOf(parts)).toHaveLength(150)
      expect(parts[parts.length - 1]).toEqual({ _tag: "Incomplete", reason: "limit", rows: 150 })
      expect(world.jira.calls.filter((c) => c.op === "searchIssues")).toHaveLength(2)
    })
  )

  it.effect("a limit that falls on a page's end is still reported when Jira has more", () =>
    Effect.gen(function* () {
      const { view } = yield* connected("project = ALPHA ORDER BY key ASC")
      const exported = yield* view(exportIssues({ projectKey: "ALPHA", query: {}, maxRows: 200 }))
      const parts = yield* Stream.runCollect(exported.parts)
      expect(keysOf(parts)).toHaveLength(200)
      expect(parts[parts.length - 1]).toEqual({ _tag: "Incomplete", reason: "limit", rows: 200 })
    })
  )

  it.effect(
    "fails before any row for a missing project or without dashboard.view; a later page's failure ends the stream",
    () =>
      Effect.gen(function* () {
        const { world, view } = yield* connected("project = ALPHA ORDER BY key ASC")
        expect((yield* view(exportIssues({ projectKey: "NOPE", query: {} })).pipe(Effect.flip))._tag).toBe("NotFound")
        const refused = yield* exportIssues({ projectKey: "ALPHA", query: {} }).pipe(
          asViewer(aStranger()),
          Effect.provide(world.layer),
          Effect.flip
        )
        expect(refused._tag).toBe("NotPermitted")
        const exported = yield* view(exportIssues({ projectKey: "ALPHA", query: {} }))
        world.jira.faults.failNext(
          "searchIssues",
          new JiraRateLimited({ retryAfterSeconds: 5, reason: "jira-burst-based" })
        )
        const error = yield* Stream.runCollect(exported.parts).pipe(Effect.flip)
        expect(error._tag).toBe("JiraRateLimited")
      })
  )
})
