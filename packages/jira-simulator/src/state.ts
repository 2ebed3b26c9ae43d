import type { Caller } from "./authentication.ts"
import { buildIndex, type DataIndex } from "./data-index.ts"
import { createDefaultDataset } from "./dataset.ts"
import { DEMO_ACCOUNTS, DEMO_SITE } from "./demo.ts"
import { createFaults, type Faults } from "./faults.ts"
import {
  type Compiled,
  compileQuery,
  type EvaluationContext,
  isBounded,
  runQuery,
  UNBOUNDED_MESSAGE
} from "./jql/evaluate.ts"
import { parseJql, type Query } from "./jql/parser.ts"
import { hashText } from "./paging.ts"
import type { RenderContext } from "./representation.ts"
import { errorResponse } from "./responses.ts"
import { languageOf } from "./status-categories.ts"
import type { Dataset, SimAccount, SimIssue, SimUser } from "./types.ts"

export interface JiraSimulatorOptions {
  /** The site's base URL, used in every `self` link; `https://demo.atlassian.net` by default. */
  readonly site?: string | undefined
  /** The site's cloudId (a uuid); derived from the site URL by default, so it is stable. */
  readonly cloudId?: string | undefined
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
  /** The API path (`/rest/api/3/...`), the same whether the call came to the site or through the gateway. */
  readonly path: string
  /** The query string, with its `?`, or empty. */
  readonly search: string
  /** `site` for `<site>/...`, `gateway` for `/ex/jira/{cloudId}/...`. */
  readonly via: "site" | "gateway"
  /** Wall-clock epoch milliseconds when the request arrived. */
  readonly time: number
  /** The signed-in account, or null for anonymous and bad credentials. */
  readonly accountId: string | null
  /** The status answered; null while pending, for a hang, or for a dropped connection. */
  status: number | null
}

export const INVALID_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."

const CACHE_SIZE = 16

/** A uuid-shaped id from a hash of the site URL: the same site always has the same cloudId. */
const cloudIdFor = (site: string): string => {
  const hex = [0, 1, 2, 3].map((n) => hashText(`${n}:${site}`).padStart(14, "0").slice(-8)).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const accountUser = (account: SimAccount): SimUser => ({
  accountId: account.accountId,
  displayName: account.displayName,
  accountType: account.accountType ?? "atlassian",
  active: true,
  timeZone: account.timeZone ?? "UTC",
  ...(account.emailAddress === undefined ? {} : { emailAddress: account.emailAddress })
})

type PreparedSearch = { readonly query: Query; readonly compiled: Extract<Compiled, { ok: true }> }

/** The site's data and everything an endpoint needs to answer. */
export interface SimState {
  readonly site: string
  readonly cloudId: string
  readonly accounts: ReadonlyArray<SimAccount>
  readonly clock: () => Date
  readonly faults: Faults
  readonly calls: CallRecord[]
  readonly data: Dataset
  readonly index: DataIndex
  replaceData(data: Dataset): void
  visibleProjects(caller: Caller): ReadonlySet<string> | null
  evaluationContext(caller: Caller): EvaluationContext
  renderContext(caller: Caller): RenderContext
  /** Parses, checks boundedness and compiles; a 400 Response on failure. */
  prepareSearch(jql: string, caller: Caller): PreparedSearch | Response
  /** The matching issues, cached per data version, minute, account and query. */
  run(jql: string, caller: Caller, compiled: PreparedSearch["compiled"]): SimIssue[]
}

export const createState = (options: JiraSimulatorOptions): SimState => {
  const site = (options.site ?? DEMO_SITE).replace(/\/+$/, "")
  const accounts = options.accounts ?? DEMO_ACCOUNTS
  const clock = options.now ?? (() => new Date())
  const siteTimeZone = options.timeZone ?? "UTC"
  const users = accounts.map(accountUser)
  let data: Dataset = options.dataset ?? createDefaultDataset({ now: clock(), seed: options.seed })
  let index: DataIndex = buildIndex(data, users)
  let version = 0
  const cache = new Map<string, SimIssue[]>()

  const visibleProjects = (caller: Caller): ReadonlySet<string> | null => {
    if (caller.kind === "anonymous") return new Set()
    const keys = caller.account.projects
    return keys === undefined ? null : new Set(keys.map((k) => k.toUpperCase()))
  }
  const timeZoneOf = (caller: Caller): string =>
    caller.kind === "account" ? (caller.account.timeZone ?? siteTimeZone) : siteTimeZone
  const evaluationContext = (caller: Caller): EvaluationContext => ({
    index,
    now: clock().getTime(),
    timeZone: timeZoneOf(caller),
    currentAccountId: caller.kind === "account" ? caller.account.accountId : null,
    visibleProjects: visibleProjects(caller),
    anonymous: caller.kind === "anonymous"
  })

  return {
    site,
    cloudId: options.cloudId ?? cloudIdFor(site),
    accounts,
    clock,
    faults: createFaults(),
    calls: [],
    get data() {
      return data
    },
    get index() {
      return index
    },
    replaceData(next) {
      data = next
      index = buildIndex(data, users)
      version++
      cache.clear()
    },
    visibleProjects,
    evaluationContext,
    renderContext: (caller) => ({
      site,
      index,
      timeZone: timeZoneOf(caller),
      language: languageOf(caller.kind === "account" ? caller.account.locale : undefined)
    }),
    prepareSearch(jql, caller) {
      let query: Query
      try {
        query = parseJql(jql)
      } catch (error) {
        return errorResponse(400, [error instanceof Error ? error.message : String(error)])
      }
      if (!isBounded(query)) return errorResponse(400, [UNBOUNDED_MESSAGE])
      const compiled = compileQuery(query, evaluationContext(caller))
      if (!compiled.ok) return errorResponse(400, compiled.errors)
      return { query, compiled }
    },
    run(jql, caller, compiled) {
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
  }
}
