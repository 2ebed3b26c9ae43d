import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { type JiraConnection, type JiraRoute, SiteUrl } from "@sciple/jira-core"
import { Effect, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import type { HttpHandler } from "msw"
import { setupServer } from "msw/node"
import { type JiraCloudOptions, make } from "../issue-source.jira-cloud.ts"
import { USER_AGENT } from "../jira-http.ts"

export interface BehaviourCredential {
  readonly email: string
  readonly token: string
}

/** A Jira to hold the adapter to: msw handlers for a site and its gateway, and the tokens they know. */
export interface BehaviourTarget {
  readonly name: string
  readonly handlers: () => ReadonlyArray<HttpHandler>
  /** `https://<site>.atlassian.net` */
  readonly site: string
  readonly gatewayOrigin: string
  readonly tokens: {
    /** An unscoped token. */
    readonly classic: BehaviourCredential
    /** A scoped token with every scope the product needs. */
    readonly scoped: BehaviourCredential
    /** A scoped token with `read:jira-work` only (it may not call /myself). */
    readonly scopedWithoutUser: BehaviourCredential
    /** A token the site does not accept (revoked, mistyped). */
    readonly revoked: BehaviourCredential
  }
  /** A project on the site; at least 60 others have keys containing it. */
  readonly projectKey: string
}

const CREDENTIAL_REFUSED = "The Jira credential was refused: check the token or create a new one."

/**
 * The behaviours of Jira Cloud the adapter relies on (adr/0020), run against `target`: Atlassian's
 * documented behaviour (this package's `documented` handlers) or a simulator's handlers.
 */
export const jiraBehaviourSuite = (target: BehaviourTarget) =>
  describe(`Jira Cloud behaviours: ${target.name}`, () => {
    const server = setupServer()
    const seen: Array<{ readonly origin: string; readonly userAgent: string | null }> = []
    beforeAll(() => {
      server.listen({ onUnhandledFrame: "error" })
      server.events.on("request:start", ({ request }) => {
        seen.push({ origin: new URL(request.url).origin, userAgent: request.headers.get("user-agent") })
      })
    })
    afterEach(() => server.resetHandlers())
    afterAll(() => server.close())
    const use = () => server.use(...target.handlers())

    const options: JiraCloudOptions = { gatewayOrigin: target.gatewayOrigin, retry: { maxRetries: 0 } }
    const source = Effect.gen(function* () {
      use()
      return make(yield* HttpClient.HttpClient, options)
    }).pipe(Effect.provide(FetchHttpClient.layer))

    const connect = (credential: BehaviourCredential, route: JiraRoute | null = null): JiraConnection => ({
      site: SiteUrl.make(target.site),
      email: credential.email,
      token: Redacted.make(credential.token),
      cacheKey: `behaviour/${credential.token.length}/${credential.email}`,
      route
    })
    const project = `project = "${target.projectKey}" ORDER BY key ASC`

    it.live("a classic token connects on the site, and the test records the site's cloudId", () =>
      Effect.gen(function* () {
        const probe = yield* (yield* source).testConnection(connect(target.tokens.classic))
        expect(probe.route).toEqual({ kind: "site" })
        expect(probe.cloudId?.length).toBeGreaterThan(0)
      })
    )

    it.live("a scoped token connects through the gateway, by the site's cloudId", () =>
      Effect.gen(function* () {
        const probe = yield* (yield* source).testConnection(connect(target.tokens.scoped))
        expect(probe.route).toEqual({ kind: "gateway", cloudId: probe.cloudId })
        expect(probe.account.displayName.length).toBeGreaterThan(0)
      })
    )

    it.live("a scoped token reads every surface through the gateway, recorded or found, and no other host", () =>
      Effect.gen(function* () {
        const adapter = yield* source
        const probe = yield* adapter.testConnection(connect(target.tokens.scoped))
        for (const route of [probe.route, null]) {
          seen.length = 0
          const connection = connect(target.tokens.scoped, route)
          const page = yield* adapter.searchIssues(connection, { jql: project, pageSize: 10, pageToken: null })
          expect(page.value.issues.length).toBeGreaterThan(0)
          expect((yield* adapter.countIssues(connection, project)).value).toBeGreaterThan(0)
          const projects = yield* adapter.listProjects(connection, {
            startAt: 0,
            maxResults: 1,
            query: "",
            keys: [target.projectKey]
          })
          expect(projects.value.projects.map((p) => p.key)).toEqual([target.projectKey])
          expect((yield* adapter.getAccount(connection)).displayName.length).toBeGreaterThan(0)
          yield* adapter.validateJql(connection, project)
          const hosts = new Set(seen.map((request) => request.origin))
          for (const host of hosts) expect([target.site, target.gatewayOrigin]).toContain(host)
          expect(hosts).toContain(target.gatewayOrigin)
        }
      })
    )

    it.live("a scoped token missing a scope is told which scopes, by name", () =>
      Effect.gen(function* () {
        const error = yield* (yield* source).testConnection(connect(target.tokens.scopedWithoutUser)).pipe(Effect.flip)
        expect(error._tag).toBe("JiraScopeMissing")
        expect(error.message).toContain("read:jira-user")
        expect(error.message).toContain("read:user:jira")
      })
    )

    it.live("a revoked token is a refused credential everywhere, never a missing project", () =>
      Effect.gen(function* () {
        const adapter = yield* source
        const connection = connect(target.tokens.revoked)
        const failures = [
          yield* adapter.testConnection(connection).pipe(Effect.flip),
          yield* adapter.searchIssues(connection, { jql: project, pageSize: 10, pageToken: null }).pipe(Effect.flip),
          yield* adapter
            .searchIssues(connection, { jql: "updated >= -30d ORDER BY key ASC", pageSize: 10, pageToken: null })
            .pipe(Effect.flip),
          yield* adapter.countIssues(connection, project).pipe(Effect.flip),
          yield* adapter.listProjects(connection, { startAt: 0, maxResults: 25, query: "" }).pipe(Effect.flip)
        ]
        for (const failure of failures) {
          expect(failure._tag).toBe("JiraUnauthorized")
          expect(failure.message).toBe(CREDENTIAL_REFUSED)
        }
      })
    )

    it.live("finds a project by its exact key among 60 whose keys contain it", () =>
      Effect.gen(function* () {
        const adapter = yield* source
        const connection = connect(target.tokens.classic)
        const similar = yield* adapter.listProjects(connection, {
          startAt: 0,
          maxResults: 50,
          query: target.projectKey
        })
        expect(similar.value.total).toBeGreaterThan(50)
        const exact = yield* adapter.listProjects(connection, {
          startAt: 0,
          maxResults: 1,
          query: "",
          keys: [target.projectKey]
        })
        expect(exact.value.projects.map((p) => p.key)).toEqual([target.projectKey])
        const none = yield* adapter.listProjects(connection, { startAt: 0, maxResults: 1, query: "", keys: ["NOPE"] })
        expect(none.value.projects).toEqual([])
      })
    )

    it.live("a page token Jira refuses restarts the list from the first page, saying so", () =>
      Effect.gen(function* () {
        const adapter = yield* source
        const connection = connect(target.tokens.classic)
        const first = yield* adapter.searchIssues(connection, { jql: project, pageSize: 2, pageToken: null })
        expect(first.value.restarted).toBeUndefined()
        const token = first.value.nextPageToken
        expect(token).not.toBeNull()
        const second = yield* adapter.searchIssues(connection, { jql: project, pageSize: 2, pageToken: token })
        expect(second.value.restarted).toBeUndefined()
        const foreign = yield* adapter.searchIssues(connection, {
          jql: project,
          pageSize: 2,
          pageToken: "bm90IGEgdG9rZW4gb2YgdGhpcyBzaXRl"
        })
        expect(foreign.value.restarted).toBe(true)
        expect(foreign.value.issues.map((i) => i.key)).toEqual(first.value.issues.map((i) => i.key))
      })
    )

    it.live("every request names the product and its version", () =>
      Effect.gen(function* () {
        seen.length = 0
        yield* (yield* source).testConnection(connect(target.tokens.scoped))
        expect(seen.length).toBeGreaterThan(1)
        for (const request of seen) expect(request.userAgent).toBe(USER_AGENT)
        expect(USER_AGENT).toMatch(/^sciple-jira\/\d+\.\d+\.\d+/)
      })
    )
  })
