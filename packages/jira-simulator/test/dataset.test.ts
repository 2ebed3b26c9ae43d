import { describe, expect, it } from "vitest"
import { createDefaultDataset, generateDataset, SPECIAL_SUMMARIES } from "../src/dataset.ts"
import { DEMO_ACCOUNT } from "../src/demo.ts"
import { createPrng } from "../src/prng.ts"
import { formatJiraDate } from "../src/time.ts"
import { TEST_NOW } from "./support/simulator.ts"

const now = TEST_NOW.getTime()
const data = createDefaultDataset({ now })
const statusById = new Map(data.statuses.map((s) => [s.id, s]))

describe("the default dataset", () => {
  it("is deterministic for a seed and a clock", () => {
    expect(createDefaultDataset({ now })).toEqual(data)
    expect(createDefaultDataset({ now, seed: 7 }).issues.map((i) => i.statusId)).not.toEqual(
      data.issues.map((i) => i.statusId)
    )
  })

  it("covers every project type, and one empty project", () => {
    expect(new Set(data.projects.map((p) => p.projectTypeKey))).toEqual(
      new Set(["software", "business", "service_desk", "product_discovery"])
    )
    const counts = new Map(data.projects.map((p) => [p.key, data.issues.filter((i) => i.projectKey === p.key).length]))
    expect(counts.get("NEW")).toBe(0)
    expect(data.issues.length).toBeGreaterThanOrEqual(500)
  })

  it("covers every status category, undefined rarely, with localised status names", () => {
    const categories = data.issues.map((i) => statusById.get(i.statusId)?.category)
    for (const key of ["new", "indeterminate", "done"])
      expect(categories.filter((c) => c === key).length).toBeGreaterThan(50)
    const undefinedCount = categories.filter((c) => c === "undefined").length
    expect(undefinedCount).toBeGreaterThan(0)
    expect(undefinedCount).toBeLessThan(10)
    const names = new Set(data.issues.map((i) => statusById.get(i.statusId)?.name))
    for (const name of ["To Do", "In Progress", "Done", "In Arbeit", "Erledigt", "À faire"])
      expect(names).toContain(name)
  })

  it("has unassigned issues, empty and missing priorities, and the demo account's issues", () => {
    expect(data.issues.some((i) => i.assigneeAccountId === null)).toBe(true)
    expect(data.issues.some((i) => i.priorityId === null)).toBe(true)
    expect(data.issues.some((i) => !("priorityId" in i))).toBe(true)
    expect(data.issues.filter((i) => i.assigneeAccountId === DEMO_ACCOUNT.accountId).length).toBeGreaterThan(20)
    expect(new Set(data.issues.map((i) => i.assigneeAccountId)).size).toBeGreaterThan(6)
  })

  it("has markup, emoji, CJK and right-to-left summaries", () => {
    const summaries = data.issues.filter((i) => i.projectKey === "DEMO").slice(0, SPECIAL_SUMMARIES.length)
    expect(summaries.map((i) => i.summary)).toEqual(SPECIAL_SUMMARIES)
    expect(summaries[0]?.key).toBe("DEMO-1")
    expect(SPECIAL_SUMMARIES.join(" ")).toMatch(/<script>/)
    expect(SPECIAL_SUMMARIES.join(" ")).toMatch(/\p{Extended_Pictographic}/u)
    expect(SPECIAL_SUMMARIES.join(" ")).toMatch(/\p{Script=Han}/u)
    expect(SPECIAL_SUMMARIES.join(" ")).toMatch(/\p{Script=Arabic}/u)
  })

  it("spreads dates over the last 90 days, updated never before created", () => {
    for (const issue of data.issues) {
      expect(issue.created).toBeGreaterThanOrEqual(now - 90 * 86_400_000)
      expect(issue.updated).toBeGreaterThanOrEqual(issue.created)
      expect(issue.updated).toBeLessThanOrEqual(now)
    }
  })

  it("numbers keys by creation order, with unique ids", () => {
    const demo = data.issues.filter((i) => i.projectKey === "DEMO")
    expect(demo.map((i) => i.key)).toEqual(demo.map((_, n) => `DEMO-${n + 1}`))
    expect(new Set(data.issues.map((i) => i.id)).size).toBe(data.issues.length)
  })
})

describe("generateDataset", () => {
  it("makes thousands of projects quickly and deterministically", () => {
    const big = generateDataset({ projects: 5000, issuesPerProject: 2, seed: 3, now })
    expect(big.projects).toHaveLength(5000)
    expect(big.issues).toHaveLength(10_000)
    expect(new Set(big.projects.map((p) => p.key)).size).toBe(5000)
    expect(big.projects.slice(0, 3).map((p) => p.key)).toEqual(["PA", "PB", "PC"])
    expect(big.projects[26]?.key).toBe("PAA")
    expect(generateDataset({ projects: 50, issuesPerProject: [0, 9], seed: 3, now })).toEqual(
      generateDataset({ projects: 50, issuesPerProject: [0, 9], seed: 3, now })
    )
  })
})

describe("formatJiraDate", () => {
  it("writes the offset without a colon", () => {
    const ms = Date.parse("2024-10-09T02:37:54.643Z")
    expect(formatJiraDate(ms, "Asia/Shanghai")).toBe("2024-10-09T10:37:54.643+0800")
    expect(formatJiraDate(ms, "UTC")).toBe("2024-10-09T02:37:54.643+0000")
    expect(formatJiraDate(ms, "America/St_Johns")).toBe("2024-10-09T00:07:54.643-0230")
  })
})

describe("createPrng", () => {
  it("repeats for a seed and stays in range", () => {
    const a = createPrng(5)
    const b = createPrng(5)
    const xs = Array.from({ length: 100 }, () => a.next())
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()))
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })
})
