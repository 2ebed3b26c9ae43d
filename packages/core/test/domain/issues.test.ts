import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { JiraIssue } from "../../src/domain/issues.ts"
import {
  comparePriorities,
  JIRA_PRIORITY_ORDER,
  NO_PRIORITY,
  statusSplit,
  tallyByAssignee,
  tallyByPriority,
  UNASSIGNED
} from "../../src/domain/issues.ts"

const issue = (priority: string | null, assignee: string | null): JiraIssue => ({
  key: "A-1",
  summary: "s",
  status: { name: "To Do", category: "new" },
  assignee: assignee === null ? null : { accountId: assignee, displayName: assignee, avatarUrl: null },
  priority: priority === null ? null : { name: priority, iconUrl: null },
  updated: new Date(0)
})

describe("breakdowns", () => {
  it("tallies by priority in Jira's order and by assignee most first, with labels for none", () => {
    const issues = [issue("High", "Ada"), issue(null, null), issue("High", null), issue("Low", "Ada")]
    expect(tallyByPriority(issues)).toEqual([
      { label: "High", count: 2, value: "High" },
      { label: "Low", count: 1, value: "Low" },
      { label: NO_PRIORITY, count: 1, value: "none" }
    ])
    expect(tallyByAssignee(issues)).toEqual([
      { label: "Ada", count: 2, value: "Ada" },
      { label: UNASSIGNED, count: 2, value: "unassigned" }
    ])
  })

  it("orders priorities Highest to Lowest, then others by name, then no priority, whatever the counts", () => {
    const names = ["Lowest", "Blocker", "Medium", null, "Low", "Medium", "Highest", "Anytime", "High", "Medium"]
    const issues = names.map((p) => issue(p, null))
    expect(tallyByPriority(issues).map((t) => t.label)).toEqual([
      "Highest",
      "High",
      "Medium",
      "Low",
      "Lowest",
      "Anytime",
      "Blocker",
      NO_PRIORITY
    ])
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom(...JIRA_PRIORITY_ORDER, "Custom"))), (ps) => {
        const sorted = [...ps].sort(comparePriorities)
        const ranks = sorted.map((p) =>
          p === null ? 99 : JIRA_PRIORITY_ORDER.indexOf(p) < 0 ? 50 : JIRA_PRIORITY_ORDER.indexOf(p)
        )
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
      })
    )
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
