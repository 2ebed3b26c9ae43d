import { buildIndex, type DataIndex } from "./data-index.ts"
import { createDefaultDataset } from "./dataset.ts"
import { DEMO_ACCOUNTS, DEMO_SITE } from "./demo.ts"
import { createFaults, type Fault, type Faults } from "./faults.ts"
import {
  type Compiled,
  compileQuery,
  type EvaluationContext,
  isBounded,
  runQuery,
  UNBOUNDED_MESSAGE
} from "./jql/evaluate.ts"
import { parseJql, type Query } from "./jql/parser.ts"
import { queryStructure } from "./jql/structure.ts"
import { decodePageToken, encodePageToken } from "./paging.ts"
import {
  issueJson,
  type Json,
  type JsonObject,
  projectJson,
  type RenderContext,
  requestedFields,
  userAvatarUrls
} from "./representation.ts"
import {
  authDeniedResponse,
  avatarResponse,
  errorResponse,
  jsonResponse,
  methodNotAllowedResponse,
  notFoundHtmlResponse,
  rateLimitResponse,
  removedSearchResponse,
  serverErrorResponse,
  unauthorizedResponse
} from "./responses.ts"
import { languageOf } from "./status-categories.ts"
import type { Dataset, SimAccount, SimIssue, SimProject, SimUser } from "./types.ts"

export interface JiraSimulatorOptions {
  /** The site's base URL, used in every `self` link; `https://demo.atlassian.net` by default. */
  readonly site?: string | undefined
  /** Valid credentials; the demo accounts by default. */
  readonly accounts?: ReadonlyArray<SimAccount> | undefined
  /** The clock for relative dates, token expiry and the default dataset. */
  readonly now?: (() => Date) | undefined
  /** The data; the default demo dataset (seeded with `seed`, relative to `now`) when absent. */
  readonly dataset?: Dataset | undefined
  readonly seed?: number | undefined
  /** The site's default time zone, for anonymous callers; `UTC` by default. */
  readonly timeZone?: string | undefined
}

export interface CallRecord {
  readonly method: string
  readonly path: string
  /** The query string, with its `?`, or empty. */
  readonly search: string
  /** Wall-clock epoch milliseconds when the request arrived. */
  readonly time: number
  /** The signed-in account, or null for anonymous and bad credentials. */
  readonly accountId: string | null
  /** The status answered; null while pending, for a hang, or for a dropped connection. */
  status: number | null
}

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

type Caller = { readonly kind: "account"; readonly account: SimAccount } | { readonly kind: "anonymous" }

const API = "/rest/api/3"

const INVALID_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."

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

const waitForAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true })
  })

const parseBasicAuth = (header: string | null): { email: string; token: string } | null => {
  if (header === null) return null
  const match = /^Basic\s+(\S+)$/i.exec(header.trim())
  if (match?.[1] === undefined) return null
  let decoded: string
  try {
    decoded = Buffer.from(match[1], "base64").toString("utf8")
  } catch {
    return null
  }
  const colon = decoded.indexOf(":")
  return colon < 0 ? null : { email: decoded.slice(0, colon), token: decoded.slice(colon + 1) }
}

const accountUser = (account: SimAccount): SimUser => ({
  accountId: account.accountId,
  displayName: account.displayName,
  accountType: account.accountType ?? "atlassian",
  active: true,
  timeZone: account.timeZone ?? "UTC",
  ...(account.emailAddress === undefined ? {} : { emailAddress: account.emailAddress })
})

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string")

const MALFORMED_BODY = '{"issues":[{"id":"10000" "key":"DEMO-1"}],"isLast":true'

const CACHE_SIZE = 16

export const createJiraSimulator = (options: JiraSimulatorOptions = {}): JiraSimulator => {
  const site = (options.site ?? DEMO_SITE).replace(/\/+$/, "")
  const accounts = options.accounts ?? DEMO_ACCOUNTS
  const clock = options.now ?? (() => new Date())
  const siteTimeZone = options.timeZone ?? "UTC"
  let data: Dataset = options.dataset ?? createDefaultDataset({ now: clock(), seed: options.seed })
  let index: DataIndex = buildIndex(data, accounts.map(accountUser))
  let version = 0
  const cache = new Map<string, SimIssue[]>()
  let calls: CallRecord[] = []
  const faults = createFaults()

  const authenticate = (request: Request): Caller => {
    const credentials = parseBasicAuth(request.headers.get("authorization"))
    if (credentials === null) return { kind: "anonymous" }
    const account = accounts.find(
      (a) => a.email.toLowerCase() === credentials.email.toLowerCase() && a.apiToken === credentials.token
    )
    return account === undefined ? { kind: "anonymous" } : { kind: "account", account }
  }

  const visibleProjects = (caller: Caller): ReadonlySet<string> | null => {
    if (caller.kind === "anonymous") return new Set()
    const keys = caller.account.projects
    return keys === undefined ? null : new Set(keys.map((k) => k.toUpperCase()))
  }

  const timeZoneOf = (caller: Caller): string =>
    caller.kind === "account" ? (caller.account.timeZone ?? siteTimeZone) : siteTimeZone

  const evaluationContext = (caller: Caller, validateValues: boolean): EvaluationContext => ({
    index,
    now: clock().getTime(),
    timeZone: timeZoneOf(caller),
    currentAccountId: caller.kind === "account" ? caller.account.accountId : null,
    visibleProjects: visibleProjects(caller),
    validateValues
  })

  const renderContext = (caller: Caller): RenderContext => ({
    site,
    index,
    timeZone: timeZoneOf(caller),
    language: languageOf(caller.kind === "account" ? caller.account.locale : undefined)
  })

  const cachedRun = (jql: string, caller: Caller, compiled: Extract<Compiled, { ok: true }>): SimIssue[] => {
    const minute = Math.floor(clock().getTime() / 60_000)
    const who = caller.kind === "account" ? caller.account.accountId : ""
    const key = `${version}\u0000${minute}\u0000${who}\u0000${jql}`
    const hit = cache.get(key)
    if (hit !== undefined) {
      cache.delete(key)
      cache.set(key, hit)
      return hit
    }
    const result = runQuery(compiled, index.dataset.issues)
    cache.set(key, result)
    if (cache.size > CACHE_SIZE) {
      const oldest = cache.keys().next().value
      if (oldest !== undefined) cache.delete(oldest)
    }
    return result
  }

  /** Parses, checks boundedness and compiles; a Response on failure. */
  const prepareSearch = (
    jql: string,
    caller: Caller
  ): { query: Query; compiled: Extract<Compiled, { ok: true }> } | Response => {
    let query: Query
    try {
      query = parseJql(jql)
    } catch (error) {
      return errorResponse(400, [error instanceof Error ? error.message : String(error)])
    }
    if (!isBounded(query)) return errorResponse(400, [UNBOUNDED_MESSAGE])
    const compiled = compileQuery(query, evaluationContext(caller, caller.kind === "account"))
    if (!compiled.ok) return errorResponse(400, compiled.errors)
    return { query, compiled }
  }

  const readJsonBody = async (request: Request): Promise<Record<string, unknown> | Response> => {
    const type = request.headers.get("content-type") ?? ""
    if (!/json/i.test(type)) {
      return new Response("Unsupported Media Type", {
        status: 415,
        headers: { "content-type": "text/plain;charset=UTF-8" }
      })
    }
    try {
      const body: unknown = JSON.parse(await request.text())
      return isObject(body) ? body : errorResponse(400, [INVALID_PAYLOAD])
    } catch {
      return errorResponse(400, [INVALID_PAYLOAD])
    }
  }

  const searchJql = async (request: Request, caller: Caller, url: URL): Promise<Response> => {
    let body: Record<string, unknown>
    if (request.method === "GET") {
      const params = url.searchParams
      const fields = params.getAll("fields")
      body = {
        jql: params.get("jql") ?? "",
        ...(fields.length > 0 ? { fields } : {}),
        ...(params.has("maxResults") ? { maxResults: Number(params.get("maxResults")) } : {}),
        ...(params.has("nextPageToken") ? { nextPageToken: params.get("nextPageToken") } : {})
      }
    } else {
      const parsed = await readJsonBody(request)
      if (parsed instanceof Response) return parsed
      body = parsed
    }
    const { fields, maxResults, nextPageToken } = body
    const jql = body.jql ?? ""
    if (
      typeof jql !== "string" ||
      (fields !== undefined && !isStringArray(fields)) ||
      (maxResults !== undefined && (typeof maxResults !== "number" || !Number.isInteger(maxResults))) ||
      (nextPageToken !== undefined && nextPageToken !== null && typeof nextPageToken !== "string")
    ) {
      return errorResponse(400, [INVALID_PAYLOAD])
    }
    const prepared = prepareSearch(jql, caller)
    if (prepared instanceof Response) return prepared
    let offset = 0
    if (typeof nextPageToken === "string" && nextPageToken.length > 0) {
      const check = decodePageToken(nextPageToken, jql, clock().getTime())
      if (!check.ok) return errorResponse(400, [check.message])
      offset = check.offset
    }
    const selected = requestedFields(fields)
    const cap = selected === null ? 5000 : 100
    // A non-positive maxResults falls back to the default rather than looping clients on empty pages.
    const pageSize = Math.min(cap, typeof maxResults === "number" && maxResults > 0 ? maxResults : 50)
    const results = cachedRun(jql, caller, prepared.compiled)
    const page = results.slice(offset, offset + pageSize)
    const isLast = offset + page.length >= results.length
    const render = renderContext(caller)
    const out: JsonObject = { issues: page.map((issue) => issueJson(render, issue, selected)) }
    if (!isLast) out.nextPageToken = encodePageToken(jql, offset + page.length, clock().getTime())
    out.isLast = isLast
    return jsonResponse(out)
  }

  const approximateCount = async (request: Request, caller: Caller): Promise<Response> => {
    const body = await readJsonBody(request)
    if (body instanceof Response) return body
    const jql = body.jql ?? ""
    if (typeof jql !== "string") return errorResponse(400, [INVALID_PAYLOAD])
    const prepared = prepareSearch(jql, caller)
    if (prepared instanceof Response) return prepared
    return jsonResponse({ count: cachedRun(jql, caller, prepared.compiled).length })
  }

  const myself = (caller: Caller): Response => {
    if (caller.kind !== "account") return unauthorizedResponse(site)
    const { account } = caller
    const out: JsonObject = {
      self: `${site}/rest/api/3/user?accountId=${encodeURIComponent(account.accountId)}`,
      accountId: account.accountId,
      accountType: account.accountType ?? "atlassian"
    }
    if (account.emailAddress !== undefined) out.emailAddress = account.emailAddress
    Object.assign(out, {
      avatarUrls: userAvatarUrls(site, account.accountId),
      displayName: account.displayName,
      active: true,
      timeZone: account.timeZone ?? siteTimeZone,
      locale: account.locale ?? "en_US",
      groups: { size: 2, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: "groups,applicationRoles"
    })
    return jsonResponse(out)
  }

  const PROJECT_ORDERS = new Set(["key", "name", "owner", "issueCount", "lastIssueUpdatedDate", "category"])

  const projectSearch = (caller: Caller, url: URL): Response => {
    const params = url.searchParams
    const intParam = (name: string, fallback: number): number | null => {
      const raw = params.get(name)
      if (raw === null || raw === "") return fallback
      return /^-?\d+$/.test(raw) ? Number(raw) : null
    }
    const startAt = intParam("startAt", 0)
    const requestedMax = intParam("maxResults", 50)
    if (startAt === null || requestedMax === null) return errorResponse(400, ["The request parameters are not valid."])
    const start = Math.max(0, startAt)
    const maxResults = Math.max(0, Math.min(100, requestedMax))
    const orderBy = params.get("orderBy") ?? "key"
    const descending = orderBy.startsWith("-")
    const orderField = orderBy.replace(/^[+-]/, "")
    if (!PROJECT_ORDERS.has(orderField)) return errorResponse(400, [`Invalid orderBy value: '${orderBy}'.`])
    const expand = new Set((params.get("expand") ?? "").split(",").map((e) => e.trim()))
    const query = (params.get("query") ?? "").toLowerCase()
    const keys = new Set(params.getAll("keys").map((k) => k.toUpperCase()))
    const ids = new Set(params.getAll("id"))
    const types = new Set(
      (params.get("typeKey") ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0)
    )
    const visible = visibleProjects(caller)
    const matches = data.projects.filter(
      (p) =>
        (visible === null || visible.has(p.key)) &&
        (query === "" || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
        (keys.size === 0 || keys.has(p.key)) &&
        (ids.size === 0 || ids.has(p.id)) &&
        (types.size === 0 || types.has(p.projectTypeKey))
    )
    const sortKey = (p: SimProject): string | number => {
      switch (orderField) {
        case "name":
          return p.name.toLowerCase()
        case "owner":
          return (index.usersById.get(p.leadAccountId)?.displayName ?? "").toLowerCase()
        case "issueCount":
          return index.issueCountByProject.get(p.key) ?? 0
        case "lastIssueUpdatedDate":
          return index.lastUpdatedByProject.get(p.key) ?? 0
        default:
          return p.key
      }
    }
    const sorted = [...matches].sort((a, b) => {
      const ka = sortKey(a)
      const kb = sortKey(b)
      const result = ka < kb ? -1 : ka > kb ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0
      return descending ? -result : result
    })
    const values = sorted.slice(start, start + maxResults)
    const isLast = start + values.length >= sorted.length
    const render = renderContext(caller)
    const pageUrl = (at: number): string => {
      const copy = new URLSearchParams(params)
      copy.set("startAt", String(at))
      copy.set("maxResults", String(maxResults))
      return `${site}${API}/project/search?${copy.toString()}`
    }
    const out: JsonObject = { self: pageUrl(start) }
    if (!isLast) out.nextPage = pageUrl(start + values.length)
    Object.assign(out, {
      maxResults,
      startAt: start,
      total: sorted.length,
      isLast,
      values: values.map((p) =>
        projectJson(render, p, {
          lead: expand.has("lead"),
          description: expand.has("description"),
          insight: expand.has("insight")
        })
      )
    })
    return jsonResponse(out)
  }

  const jqlParse = async (request: Request, caller: Caller, url: URL): Promise<Response> => {
    const validation = url.searchParams.get("validation") ?? "strict"
    if (validation !== "strict" && validation !== "warn" && validation !== "none") {
      return errorResponse(400, [`Invalid validation value: '${validation}'. Valid values are strict, warn and none.`])
    }
    const body = await readJsonBody(request)
    if (body instanceof Response) return body
    const queries = body.queries
    if (!isStringArray(queries) || queries.length === 0) return errorResponse(400, [INVALID_PAYLOAD])
    const results: Json[] = queries.map((jql) => {
      let query: Query
      try {
        query = parseJql(jql)
      } catch (error) {
        return { query: jql, errors: [error instanceof Error ? error.message : String(error)] }
      }
      if (validation === "none") return { query: jql, structure: queryStructure(query) }
      const compiled = compileQuery(query, evaluationContext(caller, true))
      if (compiled.ok) return { query: jql, structure: queryStructure(query) }
      return validation === "strict"
        ? { query: jql, errors: [...compiled.errors] }
        : { query: jql, structure: queryStructure(query), errors: [...compiled.errors] }
    })
    return jsonResponse({ queries: results })
  }

  const avatar = (url: URL): Response => {
    const accountId = url.searchParams.get("accountId")
    if (accountId !== null) {
      const user = index.usersById.get(accountId)
      return avatarResponse(user?.displayName ?? "?", accountId)
    }
    const project = index.projectsById.get(url.searchParams.get("pid") ?? "")
    return avatarResponse(project?.key ?? "?", project?.id ?? "")
  }

  const route = async (request: Request, caller: Caller, url: URL): Promise<Response> => {
    const path = url.pathname
    const method = request.method.toUpperCase()
    const only = (allowed: string[], run: () => Response | Promise<Response>): Response | Promise<Response> =>
      allowed.includes(method) ? run() : methodNotAllowedResponse(allowed)
    switch (path) {
      case `${API}/myself`:
        return only(["GET"], () => myself(caller))
      case `${API}/search/jql`:
        return only(["GET", "POST"], () => searchJql(request, caller, url))
      case `${API}/search/approximate-count`:
        return only(["POST"], () => approximateCount(request, caller))
      case `${API}/project/search`:
        return only(["GET"], () => projectSearch(caller, url))
      case `${API}/jql/parse`:
        return only(["POST"], () => jqlParse(request, caller, url))
      case `${API}/search`:
      case "/rest/api/2/search":
      case "/rest/api/latest/search":
        return removedSearchResponse()
      case "/secure/useravatar":
      case "/secure/projectavatar":
        return only(["GET"], () => avatar(url))
      default:
        return notFoundHtmlResponse(path)
    }
  }

  const applyFault = async (fault: Fault, request: Request, caller: Caller, url: URL): Promise<Response> => {
    switch (fault.kind) {
      case "rateLimit": {
        const headers: Record<string, string> = {
          "ratelimit-reason": fault.reason ?? "jira-burst-based",
          "x-ratelimit-limit": String(fault.limit ?? 100),
          "x-ratelimit-remaining": String(fault.remaining ?? 0),
          "x-ratelimit-reset": fault.reset ?? new Date(clock().getTime() + 60_000).toISOString()
        }
        const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter
        if (retryAfter !== null) headers["retry-after"] = String(retryAfter)
        return rateLimitResponse(headers)
      }
      case "status":
        return serverErrorResponse(fault.status, fault.retryAfter)
      case "hang":
        return waitForAbort(request.signal)
      case "malformedJson":
        return new Response(MALFORMED_BODY, {
          status: 200,
          headers: { "content-type": "application/json;charset=UTF-8" }
        })
      case "truncatedJson": {
        const real = await route(request, caller, url)
        const text = await real.text()
        return new Response(text.slice(0, Math.floor(text.length / 2)), { status: real.status, headers: real.headers })
      }
      case "html404":
        return notFoundHtmlResponse(url.pathname)
      case "connectionReset":
        return Response.error()
      case "authDenied":
        return authDeniedResponse()
    }
  }

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const caller = authenticate(request)
    const record: CallRecord = {
      method: request.method.toUpperCase(),
      path: url.pathname,
      search: url.search,
      time: Date.now(),
      accountId: caller.kind === "account" ? caller.account.accountId : null,
      status: null
    }
    calls.push(record)
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, request.signal)
    const fault = faults.take(record.method, record.path)
    const response =
      fault === undefined ? await route(request, caller, url) : await applyFault(fault, request, caller, url)
    if (response.type !== "error") {
      record.status = response.status
      if (caller.kind === "account") response.headers.set("x-aaccountid", encodeURIComponent(caller.account.accountId))
      // Jira serves endpoints that allow anonymous access to a caller whose credentials failed, but says so.
      else if (request.headers.has("authorization") && !response.headers.has("x-seraph-loginreason")) {
        response.headers.set("x-seraph-loginreason", "AUTHENTICATED_FAILED")
      }
    }
    return response
  }

  return {
    site,
    accounts,
    handle,
    get calls() {
      return calls
    },
    resetCalls() {
      calls = []
    },
    countCalls(filter = {}) {
      return calls.filter(
        (c) =>
          (filter.method === undefined || c.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || c.path === filter.path)
      ).length
    },
    faults,
    get data() {
      return data
    },
    seed(partial) {
      data = { ...data, ...partial }
      index = buildIndex(data, accounts.map(accountUser))
      version++
      cache.clear()
    },
    search(jql, searchOptions = {}) {
      const account = searchOptions.account === undefined ? accounts[0] : searchOptions.account
      const caller: Caller =
        account === null || account === undefined ? { kind: "anonymous" } : { kind: "account", account }
      const query = parseJql(jql)
      const compiled = compileQuery(query, evaluationContext(caller, caller.kind === "account"))
      if (!compiled.ok) throw new Error(compiled.errors.join("\n"))
      return runQuery(compiled, index.dataset.issues)
    },
    now: clock
  }
}
