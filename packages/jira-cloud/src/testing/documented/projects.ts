import { HttpResponse } from "msw"
import { type DocumentedSite, jiraError } from "./site.ts"

const projectJson = (site: DocumentedSite, project: DocumentedSite["projects"][number]) => ({
  self: `${site.site}/rest/api/3/project/${project.id}`,
  id: project.id,
  key: project.key,
  name: project.name,
  projectTypeKey: "software",
  avatarUrls: { "48x48": `${site.site}/rest/api/3/universal_avatar/view/type/project/avatar/10400` },
  lead: { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Integration Bot" }
})

/**
 * `GET /project/search`: `keys` is exact (`keys=A&keys=B`, up to 50); `query` a case-insensitive substring of
 * key or name; at most 100 a page. The OpenAPI document answers 404 when no project matches. An anonymous
 * caller sees no projects.
 */
export const projectSearchAnswer = (site: DocumentedSite, url: URL, anonymous: boolean): Response => {
  const keys = url.searchParams.getAll("keys")
  const query = (url.searchParams.get("query") ?? "").toLowerCase()
  const startAt = Math.max(0, Number(url.searchParams.get("startAt") ?? "0") || 0)
  const maxResults = Math.min(100, Math.max(1, Number(url.searchParams.get("maxResults") ?? "50") || 50))
  const visible = anonymous ? [] : site.projects
  const matching = visible
    .filter((project) =>
      keys.length > 0
        ? keys.some((key) => key.toUpperCase() === project.key)
        : query === "" || project.key.toLowerCase().includes(query) || project.name.toLowerCase().includes(query)
    )
    .sort((a, b) => a.key.localeCompare(b.key))
  if (matching.length === 0 && (keys.length > 0 || query !== "")) {
    return jiraError(404, ["No project could be found matching the search criteria."])
  }
  const values = matching.slice(startAt, startAt + maxResults)
  return HttpResponse.json({
    self: url.href,
    maxResults,
    startAt,
    total: matching.length,
    isLast: startAt + values.length >= matching.length,
    values: values.map((project) => projectJson(site, project))
  })
}
