import { type JsonObject, projectJson } from "../representation.ts"
import { errorResponse, jsonResponse } from "../responses.ts"
import type { SimProject } from "../types.ts"
import type { Endpoint } from "./context.ts"

const PROJECT_ORDERS = new Set(["key", "name", "owner", "issueCount", "lastIssueUpdatedDate", "category"])
/** Atlassian documents `keys` as "up to 50". */
const MAX_KEYS = 50

const NO_PROJECTS_MESSAGE = "No projects matching the search criteria were found."

/**
 * `GET /project/search`: `query` is a case-insensitive substring of key or name, `keys` and `id` are exact.
 * Atlassian documents 404 "if no projects matching the search criteria are found": a signed-in caller whose
 * `query`/`keys`/`id` matches nothing gets it; anonymous callers get an empty page.
 */
export const projectSearch: Endpoint = ({ state, url, caller }) => {
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
  const keyList = params
    .getAll("keys")
    .flatMap((k) => k.split(","))
    .map((k) => k.trim().toUpperCase())
  if (keyList.length > MAX_KEYS) return errorResponse(400, [`The maximum number of keys is ${MAX_KEYS}.`])
  const keys = new Set(keyList.filter((k) => k.length > 0))
  const ids = new Set(
    params
      .getAll("id")
      .flatMap((i) => i.split(","))
      .map((i) => i.trim())
  )
  const types = new Set(
    (params.get("typeKey") ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t.length > 0)
  )
  const visible = state.visibleProjects(caller)
  const { index } = state
  const matches = state.data.projects.filter(
    (p) =>
      (visible === null || visible.has(p.key)) &&
      (query === "" || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)) &&
      (keys.size === 0 || keys.has(p.key)) &&
      (ids.size === 0 || ids.has(p.id)) &&
      (types.size === 0 || types.has(p.projectTypeKey))
  )
  const criteria = query !== "" || keys.size > 0 || ids.size > 0
  if (matches.length === 0 && criteria && caller.kind === "account") return errorResponse(404, [NO_PROJECTS_MESSAGE])
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
  const render = state.renderContext(caller)
  const pageUrl = (at: number): string => {
    const copy = new URLSearchParams(params)
    copy.set("startAt", String(at))
    copy.set("maxResults", String(maxResults))
    return `${state.site}/rest/api/3/project/search?${copy.toString()}`
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
