import {
  type Fetched,
  IssueSource,
  type JiraConnection,
  JiraInvalidJql,
  JiraUnexpectedResponse
} from "@sciple/jira-core"
import { Clock, Duration, Effect, Layer } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { makeAvatarFetch } from "./avatar-fetch.ts"
import { DEFAULT_GATEWAY_ORIGIN, type JiraCloudOptions, makeJiraHttp } from "./jira-http.ts"
import {
  CountResponse,
  ISSUE_FIELDS,
  JqlParseResponse,
  MyselfResponse,
  ProjectSearchResponse,
  SearchJqlResponse,
  toAccount,
  toIssuePage,
  toProjectPage
} from "./jira-json.ts"
import { makeJiraRoutes } from "./jira-routes.ts"
import { layerRouteHosts } from "./route-hosts.ts"

export type { JiraCloudOptions } from "./jira-http.ts"

/** Jira's page size limit for searches that ask for fields, and for project pages. */
const MAX_PAGE_SIZE = 100

const clampPageSize = (size: number) => Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(size)))

const fetched = <A>(value: A): Effect.Effect<Fetched<A>> =>
  Effect.map(Clock.currentTimeMillis, (ms) => ({ value, fetchedAt: new Date(ms) }))

/**
 * The IssueSource over Jira Cloud REST API v3, sending its requests through `client`.
 * @internal not used by production code: for tests and test support
 */
export const make = (client: HttpClient.HttpClient, options: JiraCloudOptions = {}) => {
  const http = makeJiraRoutes(makeJiraHttp(client, options))
  const avatar = makeAvatarFetch(client, {
    timeoutMs: Duration.toMillis(Duration.fromInputUnsafe(options.requestTimeout ?? Duration.seconds(10))),
    gatewayOrigin: new URL(options.gatewayOrigin ?? DEFAULT_GATEWAY_ORIGIN).origin
  })

  const countIssues = Effect.fn("IssueSourceJiraCloud.countIssues")(function* (
    connection: JiraConnection,
    jql: string
  ) {
    const { count } = yield* http.execute(connection, {
      method: "POST",
      path: "/rest/api/3/search/approximate-count",
      body: { jql },
      schema: CountResponse
    })
    return yield* fetched(count)
  })

  return IssueSource.of({
    searchIssues: Effect.fn("IssueSourceJiraCloud.searchIssues")(function* (connection, search) {
      const page = (pageToken: string | null) =>
        http.execute(connection, {
          // Never the removed `/search` (410 since 2025): `/search/jql` pages by token, without a total.
          method: "POST",
          path: "/rest/api/3/search/jql",
          body: {
            jql: search.jql,
            fields: ISSUE_FIELDS,
            maxResults: clampPageSize(search.pageSize),
            ...(pageToken === null ? {} : { nextPageToken: pageToken })
          },
          schema: SearchJqlResponse
        })
      const token = search.pageToken
      if (token === null) return yield* fetched(toIssuePage(yield* page(null)))
      // Page tokens expire (days) or belong to another query: Jira's 400 then restarts the list, saying so.
      // Bad JQL gets its 400 again on the first page, so it is still reported as such.
      const restarted = yield* page(token).pipe(
        Effect.map((response) => toIssuePage(response)),
        Effect.catchTag("JiraInvalidJql", () =>
          Effect.logWarning("Jira refused a page token; restarting the list from the first page").pipe(
            Effect.andThen(page(null)),
            Effect.map((response) => ({ ...toIssuePage(response), restarted: true }))
          )
        )
      )
      return yield* fetched(restarted)
    }),

    countIssues,

    listProjects: Effect.fn("IssueSourceJiraCloud.listProjects")(function* (connection, query) {
      const response = yield* http.execute(connection, {
        method: "GET",
        path: "/rest/api/3/project/search",
        urlParams: {
          // The lead is left out unless expanded.
          expand: "lead",
          startAt: String(Math.max(0, Math.floor(query.startAt))),
          maxResults: String(clampPageSize(query.maxResults)),
          orderBy: "key",
          // `keys` is exact (`keys=A&keys=B`); `query` is a substring match over key and name.
          ...(query.keys !== undefined ? { keys: query.keys } : query.query === "" ? {} : { query: query.query })
        },
        schema: ProjectSearchResponse,
        // Documented for project/search: 404 when no project matches.
        notFound: {
          values: [],
          startAt: Math.max(0, Math.floor(query.startAt)),
          maxResults: clampPageSize(query.maxResults),
          total: 0,
          isLast: true
        }
      })
      return yield* fetched(toProjectPage(response))
    }),

    getAccount: Effect.fn("IssueSourceJiraCloud.getAccount")(function* (connection) {
      // Never anonymous, unlike the searches: a wrong token gets its 401 here.
      const response = yield* http.execute(connection, {
        method: "GET",
        path: "/rest/api/3/myself",
        schema: MyselfResponse
      })
      return toAccount(response)
    }),

    testConnection: Effect.fn("IssueSourceJiraCloud.testConnection")(function* (connection) {
      return yield* http.probe(connection)
    }),

    validateJql: Effect.fn("IssueSourceJiraCloud.validateJql")(function* (connection, jql) {
      // Answers 200 even for a bad query: the verdict is in `errors`.
      const parsed = yield* http.execute(connection, {
        method: "POST",
        path: "/rest/api/3/jql/parse",
        urlParams: { validation: "strict" },
        body: { queries: [jql] },
        schema: JqlParseResponse
      })
      const query = parsed.queries[0]
      if (query === undefined) {
        return yield* new JiraUnexpectedResponse({ detail: "POST /rest/api/3/jql/parse answered without the query" })
      }
      const errors = query.errors ?? []
      if (errors.length > 0) return yield* new JiraInvalidJql({ messages: errors })
      // The parser does not check boundedness; a count does (400 "Unbounded JQL queries are not allowed here").
      yield* countIssues(connection, jql)
    }),

    avatar: Effect.fn("IssueSourceJiraCloud.avatar")(function* (connection, url) {
      return yield* fetched(yield* avatar(connection, url))
    })
  })
}

/**
 * The adapter on whatever HttpClient the app provides (so it can route a demo host to a local simulator).
 * @public an embedder with its own HttpClient uses it; the app uses `layerFetch`
 */
export const layer = (options: JiraCloudOptions = {}): Layer.Layer<IssueSource, never, HttpClient.HttpClient> =>
  Layer.effect(
    IssueSource,
    Effect.gen(function* () {
      return make(yield* HttpClient.HttpClient, options)
    })
  )

export interface FetchOptions extends JiraCloudOptions {
  /** Hosts sent elsewhere (`{ "demo.atlassian.net": "http://127.0.0.1:4010" }`); see routeHosts. */
  readonly routeHosts?: Readonly<Record<string, string>>
}

/** The adapter on the fetch-based HttpClient. */
export const layerFetch = (options: FetchOptions = {}): Layer.Layer<IssueSource> => {
  const { routeHosts, ...rest } = options
  const client =
    routeHosts === undefined
      ? FetchHttpClient.layer
      : layerRouteHosts(routeHosts).pipe(Layer.provide(FetchHttpClient.layer))
  return layer(rest).pipe(Layer.provide(client))
}
