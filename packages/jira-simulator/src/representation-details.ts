import type { DataIndex } from "./data-index.ts"
import { formatJiraDate } from "./time.ts"
import type { SimIssue, SimUser } from "./types.ts"

/** The JSON of the second-layer fields (resolution, labels, sprints, ...), shaped like Jira Cloud's. */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export const DETAIL_FIELDS = [
  "resolution",
  "resolutiondate",
  "labels",
  "components",
  "reporter",
  "parent",
  "fixVersions",
  "description",
  "customfield_10010",
  "customfield_10020"
] as const

export type DetailField = (typeof DETAIL_FIELDS)[number]

export interface DetailContext {
  readonly site: string
  readonly index: DataIndex
  readonly timeZone: string
  readonly user: (user: SimUser | undefined, accountId: string) => Json
}

/** A description in the Atlassian Document Format: one paragraph. */
const adf = (text: string): Json => ({
  type: "doc",
  version: 1,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }]
})

export const detailFieldJson = (ctx: DetailContext, issue: SimIssue, field: DetailField): Json => {
  const { site, index } = ctx
  switch (field) {
    case "resolution": {
      const resolution = index.resolutionsById.get(issue.resolutionId ?? "")
      return resolution === undefined
        ? null
        : {
            self: `${site}/rest/api/3/resolution/${resolution.id}`,
            id: resolution.id,
            description: "",
            name: resolution.name
          }
    }
    case "resolutiondate":
      return issue.resolved === null || issue.resolved === undefined
        ? null
        : formatJiraDate(issue.resolved, ctx.timeZone)
    case "labels":
      return [...(issue.labels ?? [])]
    case "components":
      return (issue.componentIds ?? []).flatMap((id) => {
        const component = index.componentsById.get(id)
        return component === undefined ? [] : [{ self: `${site}/rest/api/3/component/${id}`, id, name: component.name }]
      })
    case "reporter": {
      const id = issue.reporterAccountId
      return id === null || id === undefined ? null : ctx.user(index.usersById.get(id), id)
    }
    case "parent": {
      const parent = index.issuesByKey.get((issue.parentKey ?? "").toUpperCase())
      if (parent === undefined) return null
      const type = index.issueTypesById.get(parent.issueTypeId)
      return {
        id: parent.id,
        key: parent.key,
        self: `${site}/rest/api/3/issue/${parent.id}`,
        fields: {
          summary: parent.summary,
          issuetype: { id: parent.issueTypeId, name: type?.name ?? "Task", subtask: type?.subtask ?? false }
        }
      }
    }
    case "fixVersions":
      return (issue.fixVersionIds ?? []).flatMap((id) => {
        const version = index.versionsById.get(id)
        return version === undefined
          ? []
          : [
              {
                self: `${site}/rest/api/3/version/${id}`,
                id,
                name: version.name,
                archived: false,
                released: version.released
              }
            ]
      })
    case "description":
      return issue.description === null || issue.description === undefined ? null : adf(issue.description)
    case "customfield_10010": {
      const points = issue.customFields?.["10010"]
      return points === undefined ? null : points
    }
    case "customfield_10020": {
      const sprints = (issue.sprintIds ?? []).flatMap((id) => {
        const sprint = index.sprintsById.get(id)
        if (sprint === undefined) return []
        const project = index.projectsByKey.get(sprint.projectKey)
        return [{ id, name: sprint.name, state: sprint.state, boardId: Number(project?.id ?? 0) }]
      })
      return sprints.length === 0 ? null : sprints
    }
  }
}
