import { approximateCount } from "./endpoints/approximate-count.ts"
import { avatar } from "./endpoints/avatar.ts"
import type { Endpoint } from "./endpoints/context.ts"
import { jqlParse } from "./endpoints/jql-parse.ts"
import { myself } from "./endpoints/myself.ts"
import { projectGet } from "./endpoints/project-get.ts"
import { projectSearch } from "./endpoints/project-search.ts"
import { searchJql } from "./endpoints/search-jql.ts"
import { tenantInfo } from "./endpoints/tenant-info.ts"
import { removedSearchResponse } from "./responses.ts"
import type { OperationId } from "./scopes.ts"

const API = "/rest/api/3"

/** One method on one path; `operationId` names the OpenAPI operation whose scopes a scoped token needs. */
interface RouteMethod {
  readonly endpoint: Endpoint
  readonly operationId: OperationId | null
}

/** @internal not used by production code: for tests and test support */
export interface Route {
  /** `{name}` segments become parameters. */
  readonly path: string
  readonly methods: Readonly<Record<string, RouteMethod>>
  /** Served on the site only (not through the gateway), and without looking at credentials. */
  readonly siteOnly?: boolean
}

const removed: Endpoint = () => removedSearchResponse()
const removedMethods = { GET: { endpoint: removed, operationId: null }, POST: { endpoint: removed, operationId: null } }

/** @internal not used by production code: for tests and test support */
export const ROUTES: ReadonlyArray<Route> = [
  { path: `${API}/myself`, methods: { GET: { endpoint: myself, operationId: "getCurrentUser" } } },
  {
    path: `${API}/search/jql`,
    methods: {
      GET: { endpoint: searchJql, operationId: "searchAndReconsileIssuesUsingJql" },
      POST: { endpoint: searchJql, operationId: "searchAndReconsileIssuesUsingJqlPost" }
    }
  },
  {
    path: `${API}/search/approximate-count`,
    methods: { POST: { endpoint: approximateCount, operationId: "countIssues" } }
  },
  { path: `${API}/project/search`, methods: { GET: { endpoint: projectSearch, operationId: "searchProjects" } } },
  { path: `${API}/project/{projectIdOrKey}`, methods: { GET: { endpoint: projectGet, operationId: "getProject" } } },
  { path: `${API}/jql/parse`, methods: { POST: { endpoint: jqlParse, operationId: "parseJqlQueries" } } },
  { path: `${API}/search`, methods: removedMethods },
  { path: "/rest/api/2/search", methods: removedMethods },
  { path: "/rest/api/latest/search", methods: removedMethods },
  { path: "/_edge/tenant_info", methods: { GET: { endpoint: tenantInfo, operationId: null } }, siteOnly: true },
  { path: "/secure/useravatar", methods: { GET: { endpoint: avatar, operationId: null } }, siteOnly: true },
  { path: "/secure/projectavatar", methods: { GET: { endpoint: avatar, operationId: null } }, siteOnly: true }
]

const compiled = ROUTES.map((route) => {
  const names: string[] = []
  const source = route.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)
      if (param?.[1] === undefined) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      names.push(param[1])
      return "([^/]+)"
    })
    .join("/")
  return { route, names, pattern: new RegExp(`^${source}$`) }
})

export type RouteMatch = { readonly route: Route; readonly params: Record<string, string> }

/** The route for a path, with its decoded parameters; fixed paths win over parameterised ones. */
export const matchRoute = (path: string): RouteMatch | undefined => {
  for (const { route, names, pattern } of compiled) {
    const match = pattern.exec(path)
    if (match === null) continue
    const params: Record<string, string> = {}
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1] ?? "")
      })
    } catch {
      return undefined
    }
    return { route, params }
  }
  return undefined
}
