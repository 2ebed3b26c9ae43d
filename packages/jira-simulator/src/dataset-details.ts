import { createPrng, type Prng } from "./prng.ts"
import type {
  SimComponent,
  SimIssue,
  SimProject,
  SimResolution,
  SimSprint,
  SimStatus,
  SimStatusChange,
  SimVersion
} from "./types.ts"

/**
 * The second layer of generated data: resolutions, labels, components, reporters, parents, fix versions, sprints,
 * story points, rank, descriptions, comments and status history. It draws from its own generator, so the first
 * layer (keys, summaries, statuses, assignees, dates) stays what it was for a given seed.
 */

export const RESOLUTIONS: ReadonlyArray<SimResolution> = [
  { id: "10000", name: "Done" },
  { id: "10001", name: "Won't Do" },
  { id: "10002", name: "Duplicate" }
]

const LABELS = ["frontend", "backend", "customer", "tech-debt", "security", "urgent"]
const COMPONENTS = ["Backend", "Frontend", "API"]
const STORY_POINTS = [1, 2, 3, 5, 8, 13]
const DESCRIPTIONS = [
  "Steps to reproduce are in the linked support ticket.",
  "Customers asked for this in the last quarterly review.",
  "Follow-up from the incident retrospective.",
  "Needs a decision from the product owner before work starts."
]
const COMMENTS = [
  "I can reproduce this on staging.",
  "Deployed a fix to the canary environment.",
  "Waiting for feedback from the customer.",
  "Pairing on this tomorrow morning."
]

interface ProjectDetails {
  readonly components: SimComponent[]
  readonly versions: SimVersion[]
  readonly sprints: SimSprint[]
}

const EPIC = "10000"
const SUBTASK = "10004"

export interface Details extends ProjectDetails {
  readonly issues: SimIssue[]
}

const projectDetails = (project: SimProject, ids: { next: number }, sprintIds: { next: number }): ProjectDetails => {
  const software = project.projectTypeKey === "software"
  const withParts = software || project.projectTypeKey === "business"
  return {
    components: withParts ? COMPONENTS.map((name) => ({ id: String(ids.next++), projectKey: project.key, name })) : [],
    versions: software
      ? [
          { id: String(ids.next++), projectKey: project.key, name: "1.0", released: true },
          { id: String(ids.next++), projectKey: project.key, name: "1.1", released: true },
          { id: String(ids.next++), projectKey: project.key, name: "2.0", released: false }
        ]
      : [],
    // One board per software project: three closed sprints, one open, one future.
    sprints: software
      ? (["closed", "closed", "closed", "active", "future"] as const).map((state, n) => ({
          id: sprintIds.next++,
          projectKey: project.key,
          name: `${project.key} Sprint ${n + 1}`,
          state
        }))
      : []
  }
}

const history = (
  issue: SimIssue,
  workflow: ReadonlyArray<string>,
  statuses: ReadonlyMap<string, SimStatus>,
  by: string | null
): SimStatusChange[] => {
  const category = (id: string) => statuses.get(id)?.category
  const initial = workflow.find((id) => category(id) === "new") ?? issue.statusId
  if (initial === issue.statusId) return []
  const middle = workflow.find((id) => category(id) === "indeterminate" && id !== issue.statusId)
  const path =
    category(issue.statusId) === "done" && middle !== undefined
      ? [initial, middle, issue.statusId]
      : [initial, issue.statusId]
  const steps = path.length - 1
  const span = Math.max(0, issue.updated - issue.created)
  return path.slice(1).map((to, n) => ({
    // Never after the issue's last update: a status change updates the issue.
    at: Math.min(issue.updated, issue.created + Math.floor((span * (n + 1)) / (steps + 1)) + (n + 1)),
    fromStatusId: path[n] ?? initial,
    toStatusId: to,
    byAccountId: by
  }))
}

const rankString = (prng: Prng): string =>
  `0|${prng
    .int(0, 36 ** 6 - 1)
    .toString(36)
    .padStart(6, "0")}:`

const pickSome = <T>(prng: Prng, pool: ReadonlyArray<T>, max: number): T[] => {
  const count = prng.int(0, max)
  const out = new Set<T>()
  for (let i = 0; i < count; i++) out.add(prng.pick(pool))
  return [...out]
}

/** Adds the second layer to a project's issues, oldest first. */
const enrichProject = (
  project: SimProject,
  parts: ProjectDetails,
  issues: ReadonlyArray<SimIssue>,
  members: ReadonlyArray<string>,
  statuses: ReadonlyMap<string, SimStatus>,
  prng: Prng
): SimIssue[] => {
  const workflow = [...new Set(issues.map((i) => i.statusId))].sort()
  const closed = parts.sprints.filter((s) => s.state === "closed")
  const active = parts.sprints.find((s) => s.state === "active")
  const future = parts.sprints.find((s) => s.state === "future")
  const epics: string[] = []
  const standard: string[] = []
  return issues.map((issue) => {
    const done = statuses.get(issue.statusId)?.category === "done"
    const reporter = members.length > 0 ? prng.pick(members) : null
    const changes = history(issue, workflow, statuses, issue.assigneeAccountId ?? reporter)
    const resolutionId = done
      ? /won't/i.test(statuses.get(issue.statusId)?.name ?? "")
        ? "10001"
        : prng.chance(0.1)
          ? "10002"
          : "10000"
      : null
    const typeId = issue.issueTypeId
    let parentKey: string | null = null
    if (typeId === SUBTASK && standard.length > 0) parentKey = prng.pick(standard)
    else if (typeId !== SUBTASK && typeId !== EPIC && epics.length > 0 && prng.chance(0.4)) parentKey = prng.pick(epics)
    if (typeId === EPIC) epics.push(issue.key)
    else if (typeId !== SUBTASK) standard.push(issue.key)
    const released = parts.versions.filter((v) => v.released)
    const unreleased = parts.versions.filter((v) => !v.released)
    const fixVersionIds =
      done && released.length > 0 && prng.chance(0.6)
        ? [prng.pick(released).id]
        : !done && unreleased.length > 0 && prng.chance(0.2)
          ? [prng.pick(unreleased).id]
          : []
    let sprintIds: number[] = []
    if (typeId !== EPIC && parts.sprints.length > 0) {
      if (done && closed.length > 0) sprintIds = [prng.pick(closed).id]
      else if (!done && active !== undefined && prng.chance(0.5))
        sprintIds = closed.length > 0 && prng.chance(0.3) ? [prng.pick(closed).id, active.id] : [active.id]
      else if (!done && future !== undefined && prng.chance(0.3)) sprintIds = [future.id]
    }
    const points = project.projectTypeKey === "software" && typeId !== EPIC && prng.chance(0.7)
    const component = parts.components.length > 0 && prng.chance(0.6) ? [prng.pick(parts.components).id] : []
    return {
      ...issue,
      resolutionId,
      resolved: done ? (changes.at(-1)?.at ?? issue.created) : null,
      labels: prng.chance(0.35) ? [] : pickSome(prng, LABELS, 2),
      componentIds: component,
      reporterAccountId: reporter,
      parentKey,
      fixVersionIds,
      sprintIds,
      customFields: points ? { "10010": prng.pick(STORY_POINTS) } : {},
      rank: rankString(prng),
      description: prng.chance(0.7) ? prng.pick(DESCRIPTIONS) : null,
      comments: pickSome(prng, COMMENTS, 2),
      statusHistory: changes
    }
  })
}

/** The second layer for every project; `members` gives each project's possible reporters. */
export const enrichDataset = (
  projects: ReadonlyArray<SimProject>,
  issues: ReadonlyArray<SimIssue>,
  statuses: ReadonlyArray<SimStatus>,
  members: (project: SimProject) => ReadonlyArray<string>,
  seed: number
): Details => {
  const prng = createPrng(seed ^ 0x5eed)
  const statusById = new Map(statuses.map((s) => [s.id, s]))
  const byProject = new Map<string, SimIssue[]>()
  for (const issue of issues) {
    const list = byProject.get(issue.projectKey)
    if (list === undefined) byProject.set(issue.projectKey, [issue])
    else list.push(issue)
  }
  const ids = { next: 10000 }
  const sprintIds = { next: 1 }
  const components: SimComponent[] = []
  const versions: SimVersion[] = []
  const sprints: SimSprint[] = []
  const enriched = new Map<string, SimIssue>()
  for (const project of projects) {
    const parts = projectDetails(project, ids, sprintIds)
    components.push(...parts.components)
    versions.push(...parts.versions)
    sprints.push(...parts.sprints)
    const own = [...(byProject.get(project.key) ?? [])].sort((a, b) => a.created - b.created)
    for (const issue of enrichProject(project, parts, own, members(project), statusById, prng))
      enriched.set(issue.id, issue)
  }
  return { issues: issues.map((i) => enriched.get(i.id) ?? i), components, versions, sprints }
}
