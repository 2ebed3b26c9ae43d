import { applyFault } from "./apply-fault.ts"
import { type Caller, callerOf, holdsScopes, identify, isScoped } from "./authentication.ts"
import type { Faults } from "./faults.ts"
import { compileQuery, runQuery } from "./jql/evaluate.ts"
import { parseJql } from "./jql/parser.ts"
import {
  methodNotAllowedResponse,
  notFoundHtmlResponse,
  scopeMismatchResponse,
  unauthorizedResponse,
  unknownCloudResponse
} from "./responses.ts"
import { matchRoute } from "./routes.ts"
import { OPERATION_SCOPES } from "./scopes.ts"
import { type CallRecord, createState, type JiraSimulatorOptions } from "./state.ts"
import type { Dataset, SimAccount, SimIssue } from "./types.ts"

export type { CallRecord, JiraSimulatorOptions } from "./state.ts"

export interface CallFilter {
  readonly method?: string | undefined
  readonly path?: string | undefined
}

export interface SearchOptions {
  /** The account whose view to search with; the first configured account by default, `null` for anonymous. */
  readonly account?: SimAccount | null | undefined
}

export interface JiraSimulator {
  readonly site: string
  /** The site's cloudId, as `/_edge/tenant_info` gives it; the gateway serves `/ex/jira/{cloudId}/rest/api/3/...`. */
  readonly cloudId: string
  readonly accounts: ReadonlyArray<SimAccount>
  /** The one fetch-style handler behind every transport. A dropped connection is `Response.error()`. */
  handle(request: Request): Promise<Response>
  readonly calls: ReadonlyArray<CallRecord>
  resetCalls(): void
  countCalls(filter?: CallFilter): number
  readonly faults: Faults
  readonly data: Dataset
  /** Replaces the parts of the data given, keeping the rest. */
  seed(data: Partial<Dataset>): void
  /** Runs JQL against the data as an account sees it, for tests to compute expected results. */
  search(jql: string, options?: SearchOptions): SimIssue[]
  now(): Date
}

const GATEWAY_PATH = /^\/ex\/jira\/([^/]+)(\/.*)?$/

/** Site-only paths (tenant_info, avatars) do not look at credentials. */
const SITE_ONLY_CALLER: Caller = { kind: "anonymous", failed: false }

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener("abort", onAbort, { once: true })
  })

export const createJiraSimulator = (options: JiraSimulatorOptions = {}): JiraSimulator => {
  const state = createState(options)
  const { site, faults, clock } = state
  const siteOrigin = new URL(site).origin

  /** Routes an API path to its endpoint, after the checks scoped tokens get. */
  const answer = async (
    request: Request,
    url: URL,
    path: string,
    via: "site" | "gateway",
    credential: ReturnType<typeof identify>
  ): Promise<Response> => {
    const matched = matchRoute(path)
    if (matched === undefined || (via === "gateway" && matched.route.siteOnly === true)) {
      return notFoundHtmlResponse(url.pathname)
    }
    const method = request.method.toUpperCase()
    const routeMethod = matched.route.methods[method]
    if (routeMethod === undefined) return methodNotAllowedResponse(Object.keys(matched.route.methods))
    const { operationId } = routeMethod
    if (operationId !== null && credential.kind === "account" && isScoped(credential.account)) {
      // A scoped token works only through the gateway, and only for operations its scopes cover.
      if (via === "site") return scopeMismatchResponse()
      if (credential.expired) return unauthorizedResponse(site)
      if (!holdsScopes(credential.account, OPERATION_SCOPES[operationId])) return scopeMismatchResponse()
    }
    const caller = matched.route.siteOnly === true ? SITE_ONLY_CALLER : callerOf(credential)
    return routeMethod.endpoint({ state, request, url, caller, params: matched.params })
  }

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const gateway = url.origin === siteOrigin ? null : GATEWAY_PATH.exec(url.pathname)
    const via = gateway === null ? "site" : "gateway"
    const path = gateway === null ? url.pathname : (gateway[2] ?? "/")
    const credential = identify(request, state.accounts, clock().getTime())
    const caller: Caller = callerOf(credential)
    const record: CallRecord = {
      method: request.method.toUpperCase(),
      path,
      search: url.search,
      via,
      time: Date.now(),
      accountId: caller.kind === "account" ? caller.account.accountId : null,
      status: null
    }
    state.calls.push(record)
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, request.signal)
    const run = (): Promise<Response> =>
      gateway !== null && gateway[1] !== state.cloudId
        ? Promise.resolve(unknownCloudResponse())
        : answer(request, url, path, via, credential)
    const fault = faults.take(record.method, record.path)
    const response = fault === undefined ? await run() : await applyFault(fault, request, site, clock(), run)
    if (response.type !== "error") {
      record.status = response.status
      if (caller.kind === "account") response.headers.set("x-aaccountid", encodeURIComponent(caller.account.accountId))
      // Jira serves a refused credential as anonymous, and says so on every answer.
      else if (caller.failed && !response.headers.has("x-seraph-loginreason")) {
        response.headers.set("x-seraph-loginreason", "AUTHENTICATED_FAILED")
      }
    }
    return response
  }

  return {
    site,
    cloudId: state.cloudId,
    accounts: state.accounts,
    handle,
    get calls() {
      return state.calls
    },
    resetCalls() {
      state.calls.length = 0
    },
    countCalls(filter = {}) {
      return state.calls.filter(
        (c) =>
          (filter.method === undefined || c.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || c.path === filter.path)
      ).length
    },
    faults,
    get data() {
      return state.data
    },
    seed(partial) {
      state.replaceData({ ...state.data, ...partial })
    },
    search(jql, searchOptions = {}) {
      const account = searchOptions.account === undefined ? state.accounts[0] : searchOptions.account
      const caller: Caller =
        account === null || account === undefined ? { kind: "anonymous", failed: false } : { kind: "account", account }
      const compiled = compileQuery(parseJql(jql), state.evaluationContext(caller))
      if (!compiled.ok) throw new Error(compiled.errors.join("\n"))
      return runQuery(compiled, state.index.dataset.issues)
    },
    now: clock
  }
}
