import {
  type ConnectionProbe,
  type JiraConnection,
  type JiraError,
  type JiraRoute,
  JiraSiteNotFound,
  JiraUnavailable
} from "@sciple/jira-core"
import { Effect, Schema } from "effect"
import type { JiraCall, JiraHttp } from "./jira-http.ts"
import { MyselfResponse, toAccount } from "./jira-json.ts"

/** `GET <site>/_edge/tenant_info`, public: the site's cloudId, which addresses it on the gateway. */
const TenantInfo = Schema.Struct({ cloudId: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100)) })

const MYSELF: JiraCall<typeof MyselfResponse.Type> = {
  method: "GET",
  path: "/rest/api/3/myself",
  schema: MyselfResponse
}

const SITE: JiraRoute = { kind: "site" }

/** Remembered routes are few (one per connection setup); past this many the memory starts over. */
const MAX_REMEMBERED = 1000

/**
 * Which route each call takes (adr/0020). A recorded gateway route is used as is; otherwise the site is
 * tried, and its "scope does not match" 401 (a scoped token) sends the call to the gateway, whose route is
 * then remembered for the connection. The connection test finds the route from scratch, without retries,
 * within one deadline.
 */
export const makeJiraRoutes = (http: JiraHttp) => {
  const found = new Map<string, JiraRoute>()
  const cloudIds = new Map<string, string>()
  const keyOf = (connection: JiraConnection) => `${connection.site}\u0000${connection.cacheKey}`

  /** The site's cloudId; anything but tenant_info's JSON means the URL is not a Jira Cloud site. */
  const cloudIdOf = (connection: JiraConnection, retries: boolean) =>
    http
      .execute(
        connection,
        { method: "GET", path: "/_edge/tenant_info", anonymous: true, schema: TenantInfo },
        { route: { kind: "site" }, retries }
      )
      .pipe(
        Effect.map(({ cloudId }) => {
          cloudIds.set(connection.site, cloudId)
          return cloudId
        }),
        Effect.catchTag("JiraUnexpectedResponse", () => Effect.fail(new JiraSiteNotFound()))
      )

  const remember = (connection: JiraConnection, route: JiraRoute) => {
    if (found.size >= MAX_REMEMBERED) found.clear()
    found.set(keyOf(connection), route)
  }

  const execute = <A>(connection: JiraConnection, call: JiraCall<A>): Effect.Effect<A, JiraError> => {
    const route = connection.route ?? found.get(keyOf(connection)) ?? null
    if (route?.kind === "gateway") return http.execute(connection, call, { route, retries: true })
    return http.execute(connection, call, { route: { kind: "site" }, retries: true }).pipe(
      // A scoped token is refused on the site with this error; the gateway is where it works.
      Effect.catchTag("JiraScopeMissing", () =>
        Effect.gen(function* () {
          const known = cloudIds.get(connection.site)
          const cloudId = known ?? (yield* cloudIdOf(connection, true))
          const gateway: JiraRoute = { kind: "gateway", cloudId }
          const result = yield* http.execute(connection, call, { route: gateway, retries: true })
          remember(connection, gateway)
          return result
        })
      )
    )
  }

  /** Test connection: tenant_info, then /myself on the site, then on the gateway for a scoped token. */
  const probe = (connection: JiraConnection): Effect.Effect<ConnectionProbe, JiraError> =>
    Effect.gen(function* () {
      // Transport failures end the test at once; a site without tenant_info may still be Jira (a proxy).
      const cloudId = yield* cloudIdOf(connection, false).pipe(
        Effect.catchTag("JiraSiteNotFound", () => Effect.succeed(null))
      )
      const onSite = yield* Effect.result(http.execute(connection, MYSELF, { route: { kind: "site" }, retries: false }))
      if (onSite._tag === "Success") return { account: toAccount(onSite.success), route: SITE, cloudId }
      if (onSite.failure._tag !== "JiraScopeMissing") return yield* Effect.fail(onSite.failure)
      // A scoped token, and no cloudId to reach the gateway with: not a Jira Cloud site we can use.
      if (cloudId === null) return yield* new JiraSiteNotFound()
      const gateway: JiraRoute = { kind: "gateway", cloudId }
      const myself = yield* http.execute(connection, MYSELF, { route: gateway, retries: false })
      remember(connection, gateway)
      return { account: toAccount(myself), route: gateway, cloudId }
    }).pipe(
      // A site that answers /myself with something else than Jira's JSON is not Jira Cloud.
      Effect.catchTag("JiraUnexpectedResponse", () => Effect.fail(new JiraSiteNotFound())),
      // One deadline for the whole test, whatever hangs: a person gets an answer within it.
      Effect.timeoutOrElse({
        duration: http.connectionTestTimeoutMs,
        orElse: () => Effect.fail(new JiraUnavailable({ reason: "timeout", status: null }))
      })
    )

  return { execute, probe }
}
