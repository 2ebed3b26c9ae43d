import { projectJson } from "../representation.ts"
import { errorResponse, jsonResponse } from "../responses.ts"
import type { Endpoint } from "./context.ts"

/**
 * `GET /project/{projectIdOrKey}`: exact, by key (any case) or id. A project the caller cannot browse does not
 * exist for it, as on Jira. Unlike project/search, the lead and description are always there.
 */
export const projectGet: Endpoint = ({ state, caller, params, url }) => {
  const idOrKey = params.projectIdOrKey ?? ""
  const { index } = state
  const project = /^\d+$/.test(idOrKey)
    ? index.projectsById.get(idOrKey)
    : index.projectsByKey.get(idOrKey.toUpperCase())
  const visible = state.visibleProjects(caller)
  if (project === undefined || (visible !== null && !visible.has(project.key))) {
    const message = /^\d+$/.test(idOrKey)
      ? `No project could be found with id '${idOrKey}'.`
      : `No project could be found with key '${idOrKey}'.`
    return errorResponse(404, [message])
  }
  const expand = new Set((url.searchParams.get("expand") ?? "").split(",").map((e) => e.trim()))
  const out = projectJson(state.renderContext(caller), project, {
    lead: true,
    description: true,
    insight: expand.has("insight")
  })
  return jsonResponse(out)
}
