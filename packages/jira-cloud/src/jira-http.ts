import {
  type JiraConnection,
  type JiraError,
  JiraForbidden,
  JiraMetrics,
  JiraRateLimited,
  type JiraRoute,
  JiraUnauthorized,
  JiraUnavailable,
  JiraUnexpectedResponse
} from "@sciple/jira-core"
import { Clock, Duration, Effect, Random, Schedule, Schema, SchemaIssue, Semaphore } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import packageJson from "../package.json" with { type: "json" }
import { type ErrorResponse, errorForResponse, isCaptcha, isJiraJson } from "./response-errors.ts"
import {
  backoffMillis,
  giveUp,
  isQuota,
  parseRateLimitReset,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  type RetryableAnswer,
  type RetryPolicy,
  resolveRetryPolicy,
  retrySchedule
} from "./retry-policy.ts"
import { makeSiteLimitsMemory, type SiteLimitsShape } from "./site-limits.ts"
import { type FaultReason, faultReasonOf } from "./transport-faults.ts"

/** Atlassian's API gateway, the only route a scoped API token works on (adr/0020). */
export const DEFAULT_GATEWAY_ORIGIN = "https://api.atlassian.com"

/**
 * Names the product and its version to Atlassian on every request.
 * @internal not used by production code: for tests and test support
 */
export const USER_AGENT = `sciple-jira/${packageJson.version}`

export interface JiraCloudOptions {
  /** Per request, body included (default 10 s). */
  readonly requestTimeout?: Duration.Input
  /** Requests in flight to one site at a time, across all callers of this layer (default 8). */
  readonly maxInFlightPerSite?: number
  readonly retry?: Partial<RetryPolicy>
  /** Atlassian's API gateway (default `https://api.atlassian.com`); tests and the demo point it at a simulator. */
  readonly gatewayOrigin?: string
  /** The whole Test connection, every request in it included (default 9 s: the page answers within 10 s). */
  readonly connectionTestTimeout?: Duration.Input
  /** Pauses and slow-downs shared with the other instances (default: this process's own). */
  readonly siteLimits?: SiteLimitsShape
}

/** One Jira REST call. Every call the adapter makes is a read: safe to send again. */
export interface JiraCall<A> {
  readonly method: "GET" | "POST"
  /** `/rest/api/3/...` */
  readonly path: string
  readonly urlParams?: Readonly<Record<string, string | ReadonlyArray<string>>>
  readonly body?: unknown
  readonly schema: Schema.Decoder<A>
  /** Sent without the credential (`/_edge/tenant_info` is public). */
  readonly anonymous?: boolean
  /**
   * The JSON a 404 carrying Jira's error body stands for on this endpoint (project/search documents 404 for
   * "no match"). Without it, or with another body (an HTML page), a 404 means no Jira site answered.
   */
  readonly notFound?: unknown
}

/** How one call is sent: by which route, and whether failures may be retried. */
export interface CallMode {
  readonly route: JiraRoute
  readonly retries: boolean
}

const SITE_ROUTE: CallMode = { route: { kind: "site" }, retries: true }

const MAX_REDIRECTS = 3

/** How long `X-RateLimit-NearLimit` lowers a site's concurrency when Jira names no reset. */
const NEAR_LIMIT_MS = 10_000

interface SiteState {
  readonly semaphore: Semaphore.Semaphore
  /** The semaphore's current size: lowered while the site is near its limit. */
  permits: number
  /** Epoch ms until which a quota limit stops every call to the site. */
  pausedUntil: number
  pauseReason: string | null
}

type RawResponse = ErrorResponse

/** A transport failure worth retrying. */
interface Fault {
  readonly _tag: "Fault"
  readonly reason: FaultReason
}
const fault = (reason: Fault["reason"]): Fault => ({ _tag: "Fault", reason })

type Attempt =
  | { readonly _tag: "Done"; readonly json: unknown }
  | {
      readonly _tag: "Retry"
      readonly status: number | null
      /** The error to report if no retry follows. */
      readonly error: JiraError
      readonly retryAfterMs: number | null
      /** Set for 429s and for any answer naming a rate-limit reason. */
      readonly rateLimit: { readonly reason: string | null; readonly resetAt: number | null } | null
    }

const parseUrl = (value: string, base: string): URL | null => {
  try {
    return new URL(value, base)
  } catch {
    return null
  }
}

const shortIssuePath = (issue: SchemaIssue.Issue): string => {
  const first = SchemaIssue.makeFormatterStandardSchemaV1()(issue).issues[0]
  const path = first?.path?.map(String).join(".") ?? ""
  return path === "" ? "the top level" : path.slice(0, 120)
}

/**
 * The HTTP side of the adapter: Basic auth built per request, timeouts, redirects kept on the site,
 * a per-site limit on requests in flight, Atlassian's retry policy and a per-site quota pause, and the
 * mapping of every answer to core's typed errors. State (semaphores, pauses) lives as long as the value.
 */
export const makeJiraHttp = (client: HttpClient.HttpClient, options: JiraCloudOptions = {}) => {
  const policy = resolveRetryPolicy(options.retry)
  const timeoutMs = Duration.toMillis(Duration.fromInputUnsafe(options.requestTimeout ?? Duration.seconds(10)))
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlightPerSite ?? 8))
  const gatewayOrigin = new URL(options.gatewayOrigin ?? DEFAULT_GATEWAY_ORIGIN).origin
  const sites = new Map<string, SiteState>()
  const connectionTestTimeoutMs = Duration.toMillis(
    Duration.fromInputUnsafe(options.connectionTestTimeout ?? Duration.seconds(9))
  )
  const limits = options.siteLimits ?? makeSiteLimitsMemory()
  const slowPermits = Math.max(1, Math.floor(maxInFlight / 4))

  const stateOf = (site: string): SiteState => {
    let state = sites.get(site)
    if (state === undefined) {
      state = { semaphore: Semaphore.makeUnsafe(maxInFlight), permits: maxInFlight, pausedUntil: 0, pauseReason: null }
      sites.set(site, state)
    }
    return state
  }

  /** Waits out a quota pause of the site, or fails fast when it is longer than the policy accepts. */
  const awaitSite = (state: SiteState, site: string, endpoint: string): Effect.Effect<void, JiraRateLimited> =>
    Effect.gen(function* () {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        // A pause set by any instance (shared) counts as much as this one's own.
        const shared = yield* limits.pauseOf(site, now)
        const own = state.pausedUntil >= (shared?.until ?? 0)
        const wait = (own ? state.pausedUntil : (shared?.until ?? 0)) - now
        const reason = own ? state.pauseReason : (shared?.reason ?? null)
        if (wait <= 0) return
        if (wait > policy.maxWaitMs) {
          return yield* new JiraRateLimited({ retryAfterSeconds: wait / 1000, reason })
        }
        yield* Effect.logWarning("Jira site paused by a rate limit; waiting", { site, endpoint, waitMs: wait, reason })
        yield* Effect.sleep(wait)
      }
    })

  /** One request and its redirects (only those staying on the site), body read as text. */
  const exchange = (connection: JiraConnection, call: JiraCall<unknown>, endpoint: string, route: JiraRoute) => {
    // The only hosts ever called: the configured site, and the gateway for the site's cloudId.
    const base =
      route.kind === "site" ? connection.site : `${gatewayOrigin}/ex/jira/${encodeURIComponent(route.cloudId)}`
    const siteOrigin = new URL(base).origin
    const hop = (url: string, first: boolean, hops: number): Effect.Effect<RawResponse, JiraError | Fault> =>
      Effect.gen(function* () {
        let request = HttpClientRequest.make(call.method)(
          url,
          first && call.urlParams ? { urlParams: call.urlParams } : {}
        )
        request = request.pipe(HttpClientRequest.acceptJson, HttpClientRequest.setHeader("user-agent", USER_AGENT))
        // The header exists only on this request value; Effect redacts it in logs and spans.
        if (call.anonymous !== true) request = HttpClientRequest.basicAuth(request, connection.email, connection.token)
        if (call.body !== undefined) request = HttpClientRequest.bodyJsonUnsafe(request, call.body)
        const response = yield* client.execute(request)
        if (response.status >= 300 && response.status < 400) {
          const location = response.headers.location
          const target = location === undefined ? null : parseUrl(location, url)
          if (target === null || target.origin !== siteOrigin) {
            // Following a redirect off the site would hand the credential to another host.
            return yield* new JiraUnexpectedResponse({
              detail: `${endpoint} redirected ${target === null ? "without a valid location" : "to another host"}`
            })
          }
          if (hops >= MAX_REDIRECTS) {
            return yield* new JiraUnexpectedResponse({ detail: `${endpoint} redirected too many times` })
          }
          // Same method and body again: every call here is a read, so repeating it is safe.
          return yield* hop(target.href, false, hops + 1)
        }
        const body = yield* response.text
        return { status: response.status, headers: response.headers, body }
      }).pipe(
        Effect.catchTag(
          "HttpClientError",
          (error): Effect.Effect<never, JiraError | Fault> =>
            error.reason._tag === "InvalidUrlError" || error.reason._tag === "EncodeError"
              ? Effect.fail(new JiraUnexpectedResponse({ detail: `${endpoint} could not be sent` }))
              : Effect.fail(fault(faultReasonOf(error.reason.cause)))
        )
      )
    const url = `${base}${call.path}`
    return hop(url, true, 0).pipe(
      // fetch follows redirects itself unless told not to, and would not check where they lead.
      Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
      // Our trace ids are no business of a third party's.
      Effect.provideService(HttpClient.TracerPropagationEnabled, false),
      Effect.timeoutOrElse({ duration: timeoutMs, orElse: () => Effect.fail(fault("timeout")) })
    )
  }

  const attempt = (connection: JiraConnection, call: JiraCall<unknown>, endpoint: string, route: JiraRoute) =>
    Effect.gen(function* () {
      const [took, exchanged] = yield* Effect.timed(Effect.result(exchange(connection, call, endpoint, route)))
      yield* JiraMetrics.recordJiraRequest(
        endpoint,
        exchanged._tag === "Success"
          ? String(exchanged.success.status)
          : exchanged.failure._tag === "Fault"
            ? exchanged.failure.reason
            : exchanged.failure._tag,
        Duration.toMillis(took) / 1000
      )
      if (exchanged._tag === "Failure") {
        const failure = exchanged.failure
        if (failure._tag !== "Fault") return yield* Effect.fail(failure)
        return {
          _tag: "Retry",
          status: null,
          error: new JiraUnavailable({ reason: failure.reason, status: null }),
          retryAfterMs: null,
          rateLimit: null
        } satisfies Attempt as Attempt
      }
      const response = exchanged.success
      // Checked first: a CAPTCHA lock comes as a 401 or a 403, and is not a wrong token.
      if (isCaptcha(response)) return yield* Effect.fail(new JiraForbidden({ reason: "captcha" }))
      // Jira answers a caller whose credential failed as an anonymous one, on any status (an empty search,
      // a 400 "does not exist for the field 'project'"): only this header tells a revoked token apart.
      if ((response.headers["x-seraph-loginreason"] ?? "").includes("AUTHENTICATED_FAILED")) {
        return yield* Effect.fail(new JiraUnauthorized())
      }
      if (response.status === 404 && call.notFound !== undefined && isJiraJson(response.body)) {
        return { _tag: "Done", json: call.notFound } satisfies Attempt as Attempt
      }
      if (response.headers["x-ratelimit-nearlimit"] === "true") {
        // Jira warns before it refuses: fewer calls in flight, on every instance, until the reset.
        const now = yield* Clock.currentTimeMillis
        const reset = parseRateLimitReset(response.headers["x-ratelimit-reset"])
        yield* limits.slowDown(connection.site, reset !== null && reset > now ? reset : now + NEAR_LIMIT_MS)
      }
      if (response.status >= 200 && response.status < 300) {
        const json = yield* Effect.try({
          try: (): unknown => JSON.parse(response.body),
          catch: () => new JiraUnexpectedResponse({ detail: `${endpoint} answered with malformed JSON` })
        })
        return { _tag: "Done", json } satisfies Attempt as Attempt
      }
      const now = yield* Clock.currentTimeMillis
      const retryAfterMs = parseRetryAfter(response.headers["retry-after"], now)
      const error = errorForResponse(endpoint, response, retryAfterMs)
      if (!RETRYABLE_STATUSES.has(response.status)) return yield* Effect.fail(error)
      const reason = response.headers["ratelimit-reason"] ?? null
      if (response.status === 429 || reason !== null) yield* JiraMetrics.recordRateLimitPause(reason)
      return {
        _tag: "Retry",
        status: response.status,
        error,
        retryAfterMs,
        rateLimit:
          response.status === 429 || reason !== null
            ? { reason, resetAt: parseRateLimitReset(response.headers["x-ratelimit-reset"]) }
            : null
      } satisfies Attempt as Attempt
    })

  /**
   * Runs a call with retries. Retries are safe because every call the adapter makes is a read,
   * the POST searches (`/search/jql`, `/search/approximate-count`, `/jql/parse`) included.
   */
  const execute = <A>(
    connection: JiraConnection,
    call: JiraCall<A>,
    mode: CallMode = SITE_ROUTE
  ): Effect.Effect<A, JiraError> => {
    const endpoint = `${call.method} ${call.path}`
    const site = connection.site
    const state = stateOf(site)
    /** One attempt: waits out the site's pause, takes a slot, sends; an answer worth a retry is its failure. */
    const once = (retry: number): Effect.Effect<unknown, JiraError | RetryableAnswer> =>
      Effect.gen(function* () {
        yield* awaitSite(state, site, endpoint)
        const permits = (yield* limits.slowUntil(site, yield* Clock.currentTimeMillis)) > 0 ? slowPermits : maxInFlight
        if (permits !== state.permits) {
          state.permits = permits
          yield* state.semaphore.resize(permits)
        }
        const result = yield* state.semaphore.withPermit(attempt(connection, call, endpoint, mode.route))
        if (result._tag === "Done") return result.json
        const answer: RetryableAnswer = { ...result, _tag: "RetryableAnswer", retry, random: yield* Random.next }
        const rateLimit = answer.rateLimit
        if (rateLimit !== null) {
          const now = yield* Clock.currentTimeMillis
          const after = now + (answer.retryAfterMs ?? backoffMillis(policy, retry, answer.random))
          if (isQuota(answer)) {
            // A quota stops the whole site until its reset: later calls to it wait in awaitSite too.
            const until = rateLimit.resetAt ?? after
            if (until > state.pausedUntil) {
              state.pausedUntil = until
              state.pauseReason = rateLimit.reason
            }
          }
          // Every instance stops calling the site until the refusal lifts (a quota: until its reset).
          yield* limits.pause(site, isQuota(answer) ? (rateLimit.resetAt ?? after) : after, rateLimit.reason)
        }
        return yield* Effect.fail(answer)
      })
    const schedule = retrySchedule(policy, mode.retries ? policy.maxRetries : 0).pipe(
      Schedule.tap(({ input, duration }) =>
        input._tag === "RetryableAnswer" && !isQuota(input)
          ? Effect.logWarning("Jira request failed; retrying", {
              site,
              endpoint,
              status: input.status,
              error: input.error._tag,
              retry: input.retry + 1,
              waitMs: Duration.toMillis(duration)
            })
          : Effect.void
      )
    )
    // The attempt counter lives in the run, not in the effect: running the call again starts from 0.
    const withRetries = Effect.suspend(() => {
      let retry = 0
      return Effect.retryOrElse(
        Effect.suspend(() => once(retry++)),
        schedule,
        (failure) => giveUp(policy, failure, () => state.pausedUntil)
      )
    })
    const decode = Schema.decodeUnknownEffect(call.schema)
    return withRetries.pipe(
      Effect.flatMap((json) =>
        decode(json).pipe(
          Effect.mapError(
            (error) =>
              new JiraUnexpectedResponse({
                detail: `${endpoint} answered with an unexpected shape at ${shortIssuePath(error.issue)}`
              })
          )
        )
      )
    )
  }

  return { execute, connectionTestTimeoutMs }
}

export type JiraHttp = ReturnType<typeof makeJiraHttp>
