import { Clock, Effect, Layer, Redacted } from "effect"
import { avatarSource } from "../domain/avatar.ts"
import type { JiraAccount, JiraProject } from "../domain/issues.ts"
import {
  type JiraError,
  JiraInvalidJql,
  JiraSiteNotFound,
  JiraUnauthorized,
  JiraUnexpectedResponse
} from "../errors.ts"
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
  | "avatar"

/** What the fake answers for any avatar of a site: a 1×1 PNG. */
export const FAKE_AVATAR_PNG = new Uint8Array([
  137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 4, 0, 0, 0, 181, 28, 12, 2,
  0, 0, 0, 11, 73, 68, 65, 84, 120, 218, 99, 100, 96, 0, 0, 0, 6, 0, 2, 48, 129, 208, 47, 0, 0, 0, 0, 73, 69, 78, 68,
  174, 66, 96, 130
])

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
    validateJql: (connection, jql) => track("validateJql", Effect.asVoid(run(connection, jql)), jql),
    avatar: (connection, url) =>
      track(
        "avatar",
        Effect.gen(function* () {
          if (avatarSource(connection.site, url) === null)
            return yield* new JiraUnexpectedResponse({ detail: "not an avatar URL of the site" })
          yield* signIn(connection)
          return yield* fetched({ contentType: "image/png" as const, bytes: FAKE_AVATAR_PNG })
        })
      )
  })
  return { source, faults, calls, layer: Layer.succeed(IssueSource, source) }
}
