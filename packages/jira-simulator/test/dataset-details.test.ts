import { describe, expect, it } from "vitest"
import { createDefaultDataset, generateDataset } from "../src/dataset.ts"
import { TEST_NOW } from "./support/simulator.ts"

const data = createDefaultDataset({ now: TEST_NOW })
const statusById = new Map(data.statuses.map((s) => [s.id, s]))
const projectByKey = new Map(data.projects.map((p) => [p.key, p]))
const issueByKey = new Map(data.issues.map((i) => [i.key, i]))

describe("the second layer of the default data", () => {
  it("keeps the first layer of a seed: generating it again gives the same data", () => {
    expect(createDefaultDataset({ now: TEST_NOW })).toEqual(data)
  })

  it("resolves exactly the done issues, when they last changed status", () => {
    for (const issue of data.issues) {
      const done = statusById.get(issue.statusId)?.category === "done"
      expect(issue.resolutionId !== null, issue.key).toBe(done)
      if (done) {
        expect(issue.resolved).toBeLessThanOrEqual(issue.updated)
        expect(issue.resolved).toBeGreaterThanOrEqual(issue.created)
      } else expect(issue.resolved).toBeNull()
    }
  })

  it("has sprints on software projects only, one open sprint per board", () => {
    const sprints = data.sprints ?? []
    for (const sprint of sprints) expect(projectByKey.get(sprint.projectKey)?.projectTypeKey).toBe("software")
    const boards = new Set(sprints.map((s) => s.projectKey))
    for (const board of boards) {
      expect(sprints.filter((s) => s.projectKey === board && s.state === "active")).toHaveLength(1)
    }
    const sprintById = new Map(sprints.map((s) => [s.id, s]))
    for (const issue of data.issues) {
      for (const id of issue.sprintIds ?? []) expect(sprintById.get(id)?.projectKey).toBe(issue.projectKey)
    }
    expect(data.issues.filter((i) => (i.sprintIds ?? []).length > 0).length).toBeGreaterThan(50)
  })

  it("links parents within the project: epics above standard issues, standard issues above sub-tasks", () => {
    const withParent = data.issues.filter((i) => i.parentKey !== null && i.parentKey !== undefined)
    expect(withParent.length).toBeGreaterThan(10)
    for (const child of withParent) {
      const parent = issueByKey.get(child.parentKey ?? "")
      expect(parent?.projectKey).toBe(child.projectKey)
      const parentLevel = data.issueTypes.find((t) => t.id === parent?.issueTypeId)?.hierarchyLevel ?? 0
      const childLevel = data.issueTypes.find((t) => t.id === child.issueTypeId)?.hierarchyLevel ?? 0
      expect(parentLevel).toBe(childLevel + 1)
    }
  })

  it("has a status history that ends in the current status, in time order", () => {
    for (const issue of data.issues) {
      const history = issue.statusHistory ?? []
      if (history.length === 0) continue
      expect(history.at(-1)?.toStatusId).toBe(issue.statusId)
      history.forEach((change, n) => {
        if (n > 0) expect(change.fromStatusId).toBe(history[n - 1]?.toStatusId)
        expect(change.at).toBeGreaterThanOrEqual(issue.created)
        expect(change.at).toBeLessThanOrEqual(issue.updated)
      })
    }
  })

  it("gives every issue a rank, a reporter and labels, and some story points, components and fix versions", () => {
    for (const issue of data.issues) {
      expect(issue.rank).toMatch(/^0\|[0-9a-z]{6}:$/)
      expect(issue.reporterAccountId).not.toBeNull()
      expect(Array.isArray(issue.labels)).toBe(true)
    }
    const some = (test: (i: (typeof data.issues)[number]) => boolean) => data.issues.filter(test).length
    expect(some((i) => typeof i.customFields?.["10010"] === "number")).toBeGreaterThan(50)
    expect(some((i) => (i.componentIds ?? []).length > 0)).toBeGreaterThan(50)
    expect(some((i) => (i.fixVersionIds ?? []).length > 0)).toBeGreaterThan(20)
    expect(some((i) => (i.comments ?? []).length > 0)).toBeGreaterThan(50)
  })

  it("is added to generated datasets too", () => {
    const generated = generateDataset({ projects: 8, issuesPerProject: 10, now: TEST_NOW })
    expect(generated.sprints?.length).toBeGreaterThan(0)
    expect(generated.issues.every((i) => i.rank !== undefined)).toBe(true)
  })
})
