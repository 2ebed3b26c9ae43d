import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { JiraIssue } from "../../src/domain/issues.ts"
import { NO_PRIORITY, statusSplit, tallyByAssignee, tallyByPriority, UNASSIGNED } from "../../src/domain/issues.ts"

const issue = (priority: string | null, assignee: string | null): JiraIssue => ({
  key: "A-1",
  summary: "s",
  status: { name: "To Do", category: "new" },
  assignee: assignee === null ? null : { accountId: assignee, displayName: assignee, avatarUrl: null },
  priority: priority === null ? null : { name: priority, iconUrl: null },
  updated: new Date(0)
})

describe("breakdowns", () => {
  it("tallies by priority and assignee, most first, with labels for none", () => {
    const issues = [issue("High", "Ada"), issue(null, null), issue("High", null), issue("Low", "Ada")]
    expect(tallyByPriority(issues)).toEqual([
      { label: "High", count: 2 },
      { label: "Low", count: 1 },
      { label: NO_PRIORITY, count: 1 }
    ])
    expect(tallyByAssignee(issues)).toEqual([
      { label: "Ada", count: 2 },
      { label: UNASSIGNED, count: 2 }
    ])
  })

  it("counts every issue exactly once (property)", () => {
    const arb = fc.array(fc.tuple(fc.option(fc.constantFrom("High", "Low", "Medium")), fc.option(fc.string())))
    fc.assert(
      fc.property(arb, (pairs) => {
        const issues = pairs.map(([p, a]) => issue(p, a))
        const sum = (t: ReadonlyArray<{ count: number }>) => t.reduce((n, x) => n + x.count, 0)
        expect(sum(tallyByPriority(issues))).toBe(issues.length)
        expect(sum(tallyByAssignee(issues))).toBe(issues.length)
      })
    )
  })

  it("splits open into To Do and In Progress", () => {
    expect(statusSplit({ todo: 3, inProgress: 4, done: 5 })).toEqual({ todo: 3, inProgress: 4, done: 5, open: 7 })
  })
})
