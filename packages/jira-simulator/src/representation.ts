import type { DataIndex } from "./data-index.ts"
import { DETAIL_FIELDS, type DetailField, detailFieldJson } from "./representation-details.ts"
import { type Language, statusCategory } from "./status-categories.ts"
import { formatJiraDate } from "./time.ts"
import type { SimIssue, SimProject, SimUser } from "./types.ts"

/** JSON representations, shaped like Jira Cloud's REST API v3 responses. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export interface RenderContext {
  readonly site: string
  readonly index: DataIndex
  readonly timeZone: string
  readonly language: Language
}

const SIZES = [
  ["48x48", "large", 48],
  ["32x32", "medium", 32],
  ["24x24", "small", 24],
  ["16x16", "xsmall", 16]
] as const

export const userAvatarUrls = (site: string, accountId: string): JsonObject =>
  Object.fromEntries(
    SIZES.map(([key, , px]) => [key, `${site}/secure/useravatar?size=${px}&accountId=${encodeURIComponent(accountId)}`])
  )

const projectAvatarUrls = (site: string, project: SimProject): JsonObject =>
  Object.fromEntries(
    SIZES.map(([key, size]) => [
      key,
      `${site}/secure/projectavatar?size=${size}&pid=${project.id}&avatarId=${project.avatarId}`
    ])
  )

/** A user as it appears inside issues and projects (email usually hidden). */
const userJson = (site: string, user: SimUser): JsonObject => ({
  self: `${site}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
  accountId: user.accountId,
  avatarUrls: userAvatarUrls(site, user.accountId),
  displayName: user.displayName,
  active: user.active,
  timeZone: user.timeZone,
  accountType: user.accountType
})

const unknownUser = (accountId: string): SimUser => ({
  accountId,
  displayName: "Former user",
  accountType: "atlassian",
  active: false,
  timeZone: "UTC"
})

const projectDetailsJson = (site: string, project: SimProject): JsonObject => ({
  self: `${site}/rest/api/3/project/${project.id}`,
  id: project.id,
  key: project.key,
  name: project.name,
  projectTypeKey: project.projectTypeKey,
  simplified: project.simplified,
  avatarUrls: projectAvatarUrls(site, project)
})

/** Fields the simulator knows; `*all` and `*navigable` mean all of them. */
const BASIC_FIELDS = [
  "summary",
  "status",
  "assignee",
  "priority",
  "issuetype",
  "project",
  "created",
  "updated"
] as const

const ISSUE_FIELDS = [...BASIC_FIELDS, ...DETAIL_FIELDS] as const

export type IssueField = (typeof ISSUE_FIELDS)[number]

const DETAIL_NAMES = new Set<string>(DETAIL_FIELDS)
const FIELD_NAMES = new Set<string>(ISSUE_FIELDS)
const isDetail = (field: IssueField): field is DetailField => DETAIL_NAMES.has(field)
const isIssueField = (name: string): name is IssueField => FIELD_NAMES.has(name)

/**
 * Which fields a `fields` list asks for: names, `*all`, `*navigable`, and `-name` to leave one out.
 * Unknown names are ignored, as Jira does. `null` means the default (`id` only).
 */
export const requestedFields = (fields: ReadonlyArray<string> | undefined): ReadonlySet<IssueField> | null => {
  if (fields === undefined) return null
  const selected = new Set<IssueField>()
  for (const raw of fields.flatMap((f) => f.split(","))) {
    const name = raw.trim()
    if (name === "*all" || name === "*navigable") for (const f of ISSUE_FIELDS) selected.add(f)
    else if (isIssueField(name)) selected.add(name)
  }
  for (const raw of fields.flatMap((f) => f.split(","))) {
    const name = raw.trim().slice(1)
    if (raw.trim().startsWith("-") && isIssueField(name)) selected.delete(name)
  }
  const onlyId = fields.every((f) => f.trim() === "id" || f.trim() === "")
  return onlyId && selected.size === 0 ? null : selected
}

const fieldJson = (ctx: RenderContext, issue: SimIssue, field: IssueField): Json | undefined => {
  const { site, index } = ctx
  if (isDetail(field)) {
    const user = (found: SimUser | undefined, accountId: string): Json =>
      userJson(site, found ?? unknownUser(accountId))
    return detailFieldJson({ site, index, timeZone: ctx.timeZone, user }, issue, field)
  }
  switch (field) {
    case "summary":
      return issue.summary
    case "status": {
      const status = index.statusesById.get(issue.statusId)
      const category = statusCategory(status?.category ?? "undefined")
      return {
        self: `${site}/rest/api/3/status/${issue.statusId}`,
        description: "",
        iconUrl: `${site}/images/icons/statuses/generic.png`,
        name: status?.name ?? "Unknown",
        id: issue.statusId,
        statusCategory: {
          self: `${site}/rest/api/3/statuscategory/${category.id}`,
          id: category.id,
          key: category.key,
          colorName: category.colorName,
          name: category.names[ctx.language]
        }
      }
    }
    case "assignee":
      return issue.assigneeAccountId === null
        ? null
        : userJson(site, index.usersById.get(issue.assigneeAccountId) ?? unknownUser(issue.assigneeAccountId))
    case "priority": {
      if (issue.priorityId === undefined) return undefined
      if (issue.priorityId === null) return null
      const priority = index.prioritiesById.get(issue.priorityId)
      return {
        self: `${site}/rest/api/3/priority/${issue.priorityId}`,
        iconUrl: `${site}/images/icons/priorities/${priority?.icon ?? "medium.svg"}`,
        name: priority?.name ?? "Unknown",
        id: issue.priorityId
      }
    }
    case "issuetype": {
      const type = index.issueTypesById.get(issue.issueTypeId)
      return {
        self: `${site}/rest/api/3/issuetype/${issue.issueTypeId}`,
        id: issue.issueTypeId,
        iconUrl: `${site}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`,
        name: type?.name ?? "Task",
        subtask: type?.subtask ?? false,
        avatarId: 10318,
        hierarchyLevel: type?.hierarchyLevel ?? 0
      }
    }
    case "project": {
      const project = index.projectsByKey.get(issue.projectKey.toUpperCase())
      return project === undefined ? null : projectDetailsJson(site, project)
    }
    case "created":
      return formatJiraDate(issue.created, ctx.timeZone)
    case "updated":
      return formatJiraDate(issue.updated, ctx.timeZone)
  }
}

export const issueJson = (ctx: RenderContext, issue: SimIssue, fields: ReadonlySet<IssueField> | null): JsonObject => {
  if (fields === null) return { id: issue.id }
  const out: JsonObject = {}
  for (const field of ISSUE_FIELDS) {
    if (!fields.has(field)) continue
    const value = fieldJson(ctx, issue, field)
    if (value !== undefined) out[field] = value
  }
  return {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issue.id,
    self: `${ctx.site}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: out
  }
}

export interface ProjectExpand {
  readonly lead: boolean
  readonly description: boolean
  readonly insight: boolean
}

export const projectJson = (ctx: RenderContext, project: SimProject, expand: ProjectExpand): JsonObject => {
  const { site, index } = ctx
  const out: JsonObject = {
    expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
    self: `${site}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    avatarUrls: projectAvatarUrls(site, project),
    projectTypeKey: project.projectTypeKey,
    simplified: project.simplified,
    style: project.simplified ? "next-gen" : "classic",
    isPrivate: false,
    properties: {}
  }
  if (expand.description) out.description = project.description
  if (expand.lead) {
    const lead = index.usersById.get(project.leadAccountId) ?? unknownUser(project.leadAccountId)
    out.lead = userJson(site, lead)
  }
  if (expand.insight) {
    const last = index.lastUpdatedByProject.get(project.key)
    out.insight = {
      totalIssueCount: index.issueCountByProject.get(project.key) ?? 0,
      ...(last === undefined ? {} : { lastIssueUpdateTime: formatJiraDate(last, ctx.timeZone) })
    }
  }
  return out
}
