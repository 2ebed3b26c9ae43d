import { describe, expect, layer } from "@effect/vitest"
import { Effect, type Layer, Option, Stream } from "effect"
import { quote } from "../domain/jql.ts"
import { IssueSource, type JiraConnection } from "../ports/IssueSource.ts"

export interface IssueSourceFixture {
  /** A connection that signs in. */
  readonly connection: JiraConnection
  /** The same site with a wrong token. */
  readonly wrongToken: JiraConnection
  /** What `getAccount` reports for `connection`. */
  readonly accountEmail: string | null
  /** A project with more than 100 issues, so searches have to page. */
  readonly bigProjectKey: string
  /** A key no project on the site has. */
  readonly missingProjectKey: string
}

const CATEGORIES = ["new", "indeterminate", "done", "undefined"]

/** What every IssueSource must do, against a site described by `fixture`. */
export const issueSourceContract = (
  name: string,
  makeLayer: () => Layer.Layer<IssueSource, unknown>,
  fixture: IssueSourceFixture
) =>
  describe(`IssueSource contract: ${name}`, () => {
    const { connection } = fixture
    const project = `project = ${quote(fixture.bigProjectKey)}`
    layer(makeLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
      it.effect("reports the connected account", () =>
        Effect.gen(function* () {
          const account = yield* (yield* IssueSource).getAccount(connection)
          expect(account.emailAddress).toBe(fixture.accountEmail)
          expect(account.accountId.length).toBeGreaterThan(0)
        })
      )

      it.effect("tests the connection: signs in on a route, records the site's cloudId, refuses a wrong token", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          const probe = yield* source.testConnection(connection)
          expect(probe.account).toEqual(yield* source.getAccount(connection))
          expect(probe.route.kind).toBe("site")
          expect(probe.cloudId?.length).toBeGreaterThan(0)
          const refused = yield* source.testConnection(fixture.wrongToken).pipe(Effect.flip)
          expect(refused._tag).toBe("JiraUnauthorized")
        })
      )

      it.effect("refuses a wrong token with JiraUnauthorized", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          expect((yield* source.getAccount(fixture.wrongToken).pipe(Effect.flip))._tag).toBe("JiraUnauthorized")
          // Searches too, though Jira answers them as for an anonymous caller: a revoked token must not read as "no issues".
          expect((yield* source.countIssues(fixture.wrongToken, project).pipe(Effect.flip))._tag).toBe(
            "JiraUnauthorized"
          )
          const search = yield* source
            .searchIssues(fixture.wrongToken, { jql: project, pageSize: 10, pageToken: null })
            .pipe(Effect.flip)
          expect(search._tag).toBe("JiraUnauthorized")
        })
      )

      it.effect("pages through every match without gaps or repeats, agreeing with the count", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          // Token pages come in order: each names the next, until none (50 pages at most).
          const pageKeys = yield* Stream.runCollect(
            Stream.paginate({ token: null as string | null, read: 0 }, ({ token, read }) =>
              Effect.map(
                source.searchIssues(connection, {
                  jql: `${project} ORDER BY key ASC`,
                  pageSize: 100,
                  pageToken: token
                }),
                (page) =>
                  [
                    [page.value.issues.map((issue) => issue.key)],
                    page.value.nextPageToken !== null && read + 1 < 50
                      ? Option.some({ token: page.value.nextPageToken, read: read + 1 })
                      : Option.none()
                  ] as const
              )
            )
          )
          const pages = pageKeys.length
          const keys = pageKeys.flat()
          expect(pages).toBeGreaterThan(1)
          expect(new Set(keys).size).toBe(keys.length)
          const count = yield* source.countIssues(connection, project)
          expect(keys.length).toBe(count.value)
        })
      )

      it.effect("returns issues with the product's fields, status categories read by key", () =>
        Effect.gen(function* () {
          const page = yield* (yield* IssueSource).searchIssues(connection, {
            jql: `${project} ORDER BY updated DESC`,
            pageSize: 50,
            pageToken: null
          })
          expect(page.value.issues.length).toBe(50)
          for (const issue of page.value.issues) {
            expect(issue.key.startsWith(`${fixture.bigProjectKey}-`)).toBe(true)
            expect(CATEGORIES).toContain(issue.status.category)
            expect(Number.isNaN(issue.updated.getTime())).toBe(false)
          }
          const times = page.value.issues.map((issue) => issue.updated.getTime())
          expect([...times].sort((a, b) => b - a)).toEqual(times)
          expect(page.fetchedAt).toBeInstanceOf(Date)
        })
      )

      it.effect("counts by status category adding up to the project's count", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          const count = (jql: string) => Effect.map(source.countIssues(connection, jql), (c) => c.value)
          const [all, todo, doing, done, none] = yield* Effect.all(
            [
              count(project),
              count(`${project} AND statusCategory = "new"`),
              count(`${project} AND statusCategory = "indeterminate"`),
              count(`${project} AND statusCategory = "done"`),
              count(`${project} AND statusCategory NOT IN ("new", "indeterminate", "done")`)
            ],
            { concurrency: 5 }
          )
          expect(todo + doing + done + none).toBe(all)
          expect(todo).toBeGreaterThan(0)
          expect(done).toBeGreaterThan(0)
        })
      )

      it.effect("keeps a quoted value literal", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          const injected = yield* source.countIssues(
            connection,
            `${project} AND text ~ ${quote('x" OR project != "Z')}`
          )
          const all = yield* source.countIssues(connection, project)
          expect(injected.value).toBeLessThan(all.value)
        })
      )

      it.effect("pages projects and searches them", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          const first = yield* source.listProjects(connection, { startAt: 0, maxResults: 2, query: "" })
          expect(first.value.projects).toHaveLength(2)
          expect(first.value.total).toBeGreaterThan(2)
          expect(first.value.isLast).toBe(false)
          const rest = yield* source.listProjects(connection, { startAt: 2, maxResults: 100, query: "" })
          expect(rest.value.isLast).toBe(true)
          const keys = [...first.value.projects, ...rest.value.projects].map((p) => p.key)
          expect(new Set(keys).size).toBe(first.value.total)
          const found = yield* source.listProjects(connection, {
            startAt: 0,
            maxResults: 50,
            query: fixture.bigProjectKey
          })
          expect(found.value.projects.map((p) => p.key)).toContain(fixture.bigProjectKey)
          for (const p of found.value.projects) expect(typeof p.projectTypeKey).toBe("string")
        })
      )

      it.effect("validates JQL: accepts a bounded query, refuses bad and unbounded ones", () =>
        Effect.gen(function* () {
          const source = yield* IssueSource
          yield* source.validateJql(connection, "updated >= -30d ORDER BY updated DESC")
          const bad = yield* source.validateJql(connection, "project = = (").pipe(Effect.flip)
          expect(bad._tag).toBe("JiraInvalidJql")
          const unbounded = yield* source.validateJql(connection, "ORDER BY key").pipe(Effect.flip)
          expect(unbounded._tag).toBe("JiraInvalidJql")
          expect(unbounded.message.toLowerCase()).toContain("unbounded")
        })
      )

      it.effect("answers JiraInvalidJql naming the project field for a project the site lacks", () =>
        Effect.gen(function* () {
          const error = yield* (yield* IssueSource)
            .searchIssues(connection, {
              jql: `project = ${quote(fixture.missingProjectKey)}`,
              pageSize: 10,
              pageToken: null
            })
            .pipe(Effect.flip)
          expect(error._tag).toBe("JiraInvalidJql")
          expect(error.message).toContain("'project'")
        })
      )
    })
  })
