import { HttpResponse } from "msw"
import { type DocumentedSite, jiraError } from "./site.ts"

/** Page tokens live 7 days (Atlassian's search/jql notes). */
const TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

interface PageToken {
  readonly jql: string
  readonly offset: number
  readonly issuedAt: number
}

/** A token this site issued for `jql` at `issuedAt` (a past time makes an expired one). */
export const pageTokenFor = (jql: string, offset: number, issuedAt: number): string =>
  Buffer.from(JSON.stringify({ jql, offset, issuedAt } satisfies PageToken)).toString("base64url")

const readToken = (token: string): PageToken | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"))
    if (typeof value !== "object" || value === null) return null
    if (!("jql" in value && "offset" in value && "issuedAt" in value)) return null
    const { jql, offset, issuedAt } = value
    return typeof jql === "string" && typeof offset === "number" && typeof issuedAt === "number"
      ? { jql, offset, issuedAt }
      : null
  } catch {
    return null
  }
}

const PROJECT_CLAUSE = /\bproject\s*=\s*"?([A-Za-z][A-Za-z0-9_]*)"?/i

const issueJson = (site: DocumentedSite, key: string, n: number) => ({
  id: String(10_000 + n),
  key: `${key}-${n}`,
  self: `${site.site}/rest/api/3/issue/${10_000 + n}`,
  fields: {
    summary: `Issue ${n} of ${key}`,
    status: { name: "To Do", statusCategory: { id: 2, key: "new", name: "To Do", colorName: "blue-gray" } },
    assignee: null,
    priority: { name: "Medium", id: "3" },
    updated: "2026-11-30T10:00:00.000+0100"
  }
})

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined

/**
 * `POST /search/jql` and `/search/approximate-count`. A failed credential is served as anonymous: a query
 * naming a project answers 400 "does not exist for the field 'project'", one without answers empty. A page
 * token Jira did not issue for this query, or one older than 7 days, answers 400.
 */
export const searchAnswer = (
  site: DocumentedSite,
  body: unknown,
  anonymous: boolean,
  kind: "page" | "count"
): Response => {
  const jql = field(body, "jql")
  if (typeof jql !== "string") return jiraError(400, ["The JQL query is required."])
  const projectKey = PROJECT_CLAUSE.exec(jql)?.[1]?.toUpperCase() ?? null
  if (projectKey === null && !/\S/.test(jql.replace(/order\s+by.*$/i, ""))) {
    return jiraError(400, [
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
    ])
  }
  const visible = anonymous ? [] : site.projects
  if (projectKey !== null && !visible.some((project) => project.key === projectKey)) {
    // The same answer for a project the caller cannot see: an anonymous caller sees none.
    return jiraError(400, [`The value '${projectKey}' does not exist for the field 'project'.`])
  }
  const keys = projectKey === null ? visible.map((project) => project.key) : [projectKey]
  const all = keys.flatMap((key) =>
    Array.from({ length: site.issuesPerProject }, (_, i) => issueJson(site, key, site.issuesPerProject - i))
  )
  if (kind === "count") return HttpResponse.json({ count: all.length })
  const tokenValue = field(body, "nextPageToken")
  let offset = 0
  if (typeof tokenValue === "string") {
    const token = readToken(tokenValue)
    if (token === null || token.jql !== jql || Date.now() - token.issuedAt > TOKEN_LIFETIME_MS) {
      return jiraError(400, ["The provided next page token is invalid or expired."])
    }
    offset = token.offset
  }
  const requested = Number(field(body, "maxResults") ?? 50)
  const size = Math.min(100, Math.max(1, Number.isFinite(requested) ? requested : 50))
  const issues = all.slice(offset, offset + size)
  const isLast = offset + issues.length >= all.length
  return HttpResponse.json({
    issues,
    isLast,
    ...(isLast ? {} : { nextPageToken: pageTokenFor(jql, offset + size, Date.now()) })
  })
}
