import { Clock, Effect, Layer, Redacted } from "effect"
import type { JiraAccount, JiraProject } from "../domain/issues.ts"
import { type JiraError, JiraInvalidJql, JiraSiteNotFound, JiraUnauthorized } from "../errors.ts"
import { IssueSource, type JiraConnection } from "../ports/IssueSource.ts"
import { Faults } from "./faults.ts"
import { compareBy, type FakeIssue, JqlError, matches, parse } from "./mini-jql.ts"

export type IssueSourceOp =
  | "searchIssues"
  | "countIssues"
  | "listProjects"
  | "getAccount"
  | "testConnection"
  | "validateJql"

export interface FakeSite {
  /** Accepted credentials: email → token, and the account each signs in as. */
  readonly accounts: ReadonlyArray<{ readonly email: string; readonly token: string; readonly account: JiraAccount }>
  readonly projects: ReadonlyArray<JiraProject>
  readonly issues: ReadonlyArray<FakeIssue>
}

/**
 * The IssueSource fake: one or more sites held in memory, queried with a small JQL evaluator.
 * `calls` counts every call, so tests can assert how many Jira round trips a use case makes.
 */
export const makeFakeIssueSource = (sites: Readonly<Record<string, FakeSite>>) => {
  const faults = new Faults<IssueSourceOp>()
  const calls: Array<{ readonly op: IssueSourceOp; readonly jql?: string }> = []

  const signIn = (connection: JiraConnection) => {
    const site = sites[connection.site]
    if (site === undefined) return Effect.fail<JiraError>(new JiraSiteNotFound())
    const entry = site.accounts.find(
      (a) => a.email.toLowerCase() === connection.email.toLowerCase() && a.token === Redacted.value(connection.token)
    )
    return entry === undefined
      ? Effect.fail<JiraError>(new JiraUnauthorized())
      : Effect.succeed({ site, account: entry.account })
  }

  const run = (connection: JiraConnection, jql: string) =>
    Effect.gen(function* () {
      const { site, account } = yield* signIn(connection)
      const now = new Date(yield* Clock.currentTimeMillis)
      const parsed = yield* Effect.try({
        try: () => parse(jql),
        catch: (e) => new JiraInvalidJql({ messages: [e instanceof JqlError ? e.message : "Error in the JQL Query."] })
      })
      if (parsed.where === null) {
        return yield* new JiraInvalidJql({
          messages: ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]
        })
      }
      const where = parsed.where
      const ctx = { now, currentAccountId: account.accountId, projectKeys: new Set(site.projects.map((p) => p.key)) }
      const hits = yield* Effect.try({
        try: () => site.issues.filter((issue) => matches(where, issue, ctx)),
        catch: (e) => new JiraInvalidJql({ messages: [e instanceof Error ? e.message : "Error in the JQL Query."] })
      })
      return hits.sort(compareBy(parsed.orderBy))
    })

  const fetched = <A>(value: A) => Effect.map(Clock.currentTimeMillis, (ms) => ({ value, fetchedAt: new Date(ms) }))
  const track = <A, E>(op: IssueSourceOp, effect: Effect.Effect<A, E>, jql?: string) =>
    Effect.suspend(() => {
      calls.push(jql === undefined ? { op } : { op, jql })
      return faults.guard(op, effect)
    })

  const source = IssueSource.of({
    searchIssues: (connection, search) =>
      track(
        "searchIssues",
        Effect.gen(function* () {
          const hits = yield* run(connection, search.jql)
          const given = search.pageToken === null ? 0 : Number(search.pageToken.split(":")[0])
          // As the port promises: a token the site refuses restarts the list from the first page, flagged.
          const restarted = !Number.isInteger(given) || given < 0
          const offset = restarted ? 0 : given
          const size = Math.min(100, Math.max(1, search.pageSize))
          const issues = hits.slice(offset, offset + size).map(({ projectKey: _p, created: _c, ...issue }) => issue)
          const next = offset + size < hits.length ? `${offset + size}:fake` : null
          return yield* fetched(
            restarted ? { issues, nextPageToken: next, restarted } : { issues, nextPageToken: next }
          )
        }),
        search.jql
      ),
    countIssues: (connection, jql) =>
      track(
        "countIssues",
        Effect.flatMap(run(connection, jql), (hits) => fetched(hits.length)),
        jql
      ),
    listProjects: (connection, query) =>
      track(
        "listProjects",
        Effect.gen(function* () {
          const { site } = yield* signIn(connection)
          const q = query.query.toLowerCase()
          const keys = query.keys
          const all = site.projects
            .filter((p) =>
              keys !== undefined
                ? keys.includes(p.key)
                : q === "" || p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)
            )
            .sort((a, b) => a.key.localeCompare(b.key))
          const projects = all.slice(query.startAt, query.startAt + Math.min(100, query.maxResults))
          return yield* fetched({
            projects,
            startAt: query.startAt,
            total: all.length,
            isLast: query.startAt + projects.length >= all.length
          })
        })
      ),
    getAccount: (connection) =>
      track(
        "getAccount",
        Effect.map(signIn(connection), ({ account }) => account)
      ),
    testConnection: (connection) =>
      track(
        "testConnection",
        Effect.map(signIn(connection), ({ account }) => ({
          account,
          route: { kind: "site" as const },
          cloudId: `cloud-${connection.site.replace(/^https:\/\//, "")}`
        }))
      ),
    validateJql: (connection, jql) => track("validateJql", Effect.asVoid(run(connection, jql)), jql)
  })
  return { source, faults, calls, layer: Layer.succeed(IssueSource, source) }
}
