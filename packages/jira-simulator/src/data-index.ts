import { STATUS_CATEGORIES, type StatusCategoryInfo } from "./status-categories.ts"
import type {
  Dataset,
  SimComponent,
  SimIssue,
  SimIssueType,
  SimPriority,
  SimProject,
  SimResolution,
  SimSprint,
  SimStatus,
  SimUser,
  SimVersion
} from "./types.ts"

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/** Lookup tables over a dataset, built once per version of the data. */
export interface DataIndex {
  readonly dataset: Dataset
  readonly projectsByKey: ReadonlyMap<string, SimProject>
  readonly projectsById: ReadonlyMap<string, SimProject>
  readonly projectsByName: ReadonlyMap<string, SimProject[]>
  readonly statusesById: ReadonlyMap<string, SimStatus>
  readonly statusesByName: ReadonlyMap<string, SimStatus[]>
  readonly usersById: ReadonlyMap<string, SimUser>
  readonly usersByName: ReadonlyMap<string, SimUser[]>
  readonly usersByEmail: ReadonlyMap<string, SimUser>
  readonly prioritiesById: ReadonlyMap<string, SimPriority>
  readonly prioritiesByName: ReadonlyMap<string, SimPriority>
  /** Highest first. */
  readonly priorityRank: ReadonlyMap<string, number>
  readonly issueTypesById: ReadonlyMap<string, SimIssueType>
  readonly issueTypesByName: ReadonlyMap<string, SimIssueType[]>
  readonly issuesByKey: ReadonlyMap<string, SimIssue>
  readonly issuesById: ReadonlyMap<string, SimIssue>
  readonly categoriesByValue: ReadonlyMap<string, StatusCategoryInfo>
  readonly issueCountByProject: ReadonlyMap<string, number>
  readonly lastUpdatedByProject: ReadonlyMap<string, number>
  readonly resolutionsById: ReadonlyMap<string, SimResolution>
  readonly resolutionsByName: ReadonlyMap<string, SimResolution>
  readonly componentsById: ReadonlyMap<string, SimComponent>
  readonly componentsByName: ReadonlyMap<string, SimComponent[]>
  readonly versionsById: ReadonlyMap<string, SimVersion>
  readonly versionsByName: ReadonlyMap<string, SimVersion[]>
  readonly sprintsById: ReadonlyMap<number, SimSprint>
  readonly sprintsByName: ReadonlyMap<string, SimSprint[]>
}

export const buildIndex = (dataset: Dataset, extraUsers: ReadonlyArray<SimUser> = []): DataIndex => {
  const projectsByKey = new Map<string, SimProject>()
  const projectsById = new Map<string, SimProject>()
  const projectsByName = new Map<string, SimProject[]>()
  for (const project of dataset.projects) {
    projectsByKey.set(project.key.toUpperCase(), project)
    projectsById.set(project.id, project)
    push(projectsByName, project.name.toLowerCase(), project)
  }
  const statusesById = new Map<string, SimStatus>()
  const statusesByName = new Map<string, SimStatus[]>()
  for (const status of dataset.statuses) {
    statusesById.set(status.id, status)
    push(statusesByName, status.name.toLowerCase(), status)
  }
  const usersById = new Map<string, SimUser>()
  const usersByName = new Map<string, SimUser[]>()
  const usersByEmail = new Map<string, SimUser>()
  for (const user of [...dataset.users, ...extraUsers]) {
    if (usersById.has(user.accountId)) continue
    usersById.set(user.accountId, user)
    push(usersByName, user.displayName.toLowerCase(), user)
    if (typeof user.emailAddress === "string") usersByEmail.set(user.emailAddress.toLowerCase(), user)
  }
  const prioritiesById = new Map<string, SimPriority>()
  const prioritiesByName = new Map<string, SimPriority>()
  const priorityRank = new Map<string, number>()
  dataset.priorities.forEach((priority, position) => {
    prioritiesById.set(priority.id, priority)
    prioritiesByName.set(priority.name.toLowerCase(), priority)
    priorityRank.set(priority.id, dataset.priorities.length - position)
  })
  const issueTypesById = new Map<string, SimIssueType>()
  const issueTypesByName = new Map<string, SimIssueType[]>()
  for (const type of dataset.issueTypes) {
    issueTypesById.set(type.id, type)
    push(issueTypesByName, type.name.toLowerCase(), type)
  }
  const issuesByKey = new Map<string, SimIssue>()
  const issuesById = new Map<string, SimIssue>()
  const issueCountByProject = new Map<string, number>()
  const lastUpdatedByProject = new Map<string, number>()
  for (const issue of dataset.issues) {
    issuesByKey.set(issue.key.toUpperCase(), issue)
    issuesById.set(issue.id, issue)
    issueCountByProject.set(issue.projectKey, (issueCountByProject.get(issue.projectKey) ?? 0) + 1)
    lastUpdatedByProject.set(issue.projectKey, Math.max(lastUpdatedByProject.get(issue.projectKey) ?? 0, issue.updated))
  }
  const categoriesByValue = new Map<string, StatusCategoryInfo>()
  for (const category of STATUS_CATEGORIES) {
    categoriesByValue.set(category.key, category)
    categoriesByValue.set(String(category.id), category)
    for (const name of Object.values(category.names)) categoriesByValue.set(name.toLowerCase(), category)
  }
  const resolutions = dataset.resolutions ?? []
  const componentsByName = new Map<string, SimComponent[]>()
  for (const c of dataset.components ?? []) push(componentsByName, c.name.toLowerCase(), c)
  const versionsByName = new Map<string, SimVersion[]>()
  for (const v of dataset.versions ?? []) push(versionsByName, v.name.toLowerCase(), v)
  const sprintsByName = new Map<string, SimSprint[]>()
  for (const s of dataset.sprints ?? []) push(sprintsByName, s.name.toLowerCase(), s)
  return {
    dataset,
    resolutionsById: new Map(resolutions.map((r) => [r.id, r])),
    resolutionsByName: new Map(resolutions.map((r) => [r.name.toLowerCase(), r])),
    componentsById: new Map((dataset.components ?? []).map((c) => [c.id, c])),
    componentsByName,
    versionsById: new Map((dataset.versions ?? []).map((v) => [v.id, v])),
    versionsByName,
    sprintsById: new Map((dataset.sprints ?? []).map((sp) => [sp.id, sp])),
    sprintsByName,
    projectsByKey,
    projectsById,
    projectsByName,
    statusesById,
    statusesByName,
    usersById,
    usersByName,
    usersByEmail,
    prioritiesById,
    prioritiesByName,
    priorityRank,
    issueTypesById,
    issueTypesByName,
    issuesByKey,
    issuesById,
    categoriesByValue,
    issueCountByProject,
    lastUpdatedByProject
  }
}
