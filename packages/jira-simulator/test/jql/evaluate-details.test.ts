import { describe, expect, it } from "vitest"
import { buildIndex } from "../../src/data-index.ts"
import { ISSUE_TYPES, PRIORITIES, STATUSES, USERS } from "../../src/dataset.ts"
import { RESOLUTIONS } from "../../src/dataset-details.ts"
import { compileQuery, type EvaluationContext, runQuery } from "../../src/jql/evaluate.ts"
import { parseJql } from "../../src/jql/parser.ts"
import type { Dataset, SimIssue, SimProject } from "../../src/types.ts"

/** The fields of issue 12 on a hand-made dataset whose answers are known. */

const NOW = Date.parse("2026-11-18T12:00:00.000Z") // a Wednesday
const DAY = 86_400_000

const project = (id: string, key: string, type: string): SimProject => ({
  id,
  key,
  name: key,
  projectTypeKey: type,
  leadAccountId: USERS.ada.accountId,
  simplified: false,
  avatarId: "10400",
  description: ""
})

let nextId = 500
const issue = (key: string, fields: Partial<SimIssue>): SimIssue => ({
  id: String(nextId++),
  key,
  projectKey: key.split("-")[0] ?? "",
  summary: `Issue ${key}`,
  statusId: "10000",
  issueTypeId: "10002",
  assigneeAccountId: null,
  priorityId: "3",
  created: NOW - 30 * DAY,
  updated: NOW - DAY,
  ...fields
})

const dataset: Dataset = {
  users: Object.values(USERS),
  statuses: STATUSES,
  priorities: PRIORITIES,
  issueTypes: ISSUE_TYPES,
  resolutions: RESOLUTIONS,
  projects: [project("1", "APP", "software"), project("2", "BIZ", "business")],
  components: [
    { id: "50", projectKey: "APP", name: "Backend" },
    { id: "51", projectKey: "BIZ", name: "Backend" }
  ],
  versions: [
    { id: "60", projectKey: "APP", name: "1.0", released: true },
    { id: "61", projectKey: "APP", name: "2.0", released: false }
  ],
  sprints: [
    { id: 1, projectKey: "APP", name: "APP Sprint 1", state: "closed" },
    { id: 2, projectKey: "APP", name: "APP Sprint 2", state: "active" }
  ],
  issues: [
    issue("APP-1", {
      issueTypeId: "10000",
      summary: "Checkout epic",
      labels: ["Customer"],
      rank: "0|i0000b:",
      reporterAccountId: USERS.ada.accountId
    }),
    issue("APP-2", {
      statusId: "10001",
      resolutionId: "10000",
      resolved: NOW - 3 * DAY,
      parentKey: "APP-1",
      fixVersionIds: ["60"],
      sprintIds: [1],
      customFields: { "10010": 5 },
      rank: "0|i0000a:",
      componentIds: ["50"],
      reporterAccountId: USERS.demoBot.accountId,
      comments: ["The payment gateway timed out"],
      statusHistory: [
        { at: NOW - 20 * DAY, fromStatusId: "10000", toStatusId: "3", byAccountId: USERS.ada.accountId },
        { at: NOW - 3 * DAY, fromStatusId: "3", toStatusId: "10001", byAccountId: USERS.demoBot.accountId }
      ]
    }),
    issue("APP-3", {
      statusId: "3",
      sprintIds: [1, 2],
      customFields: { "10010": 2 },
      labels: ["backend", "urgent"],
      rank: "0|i0000c:",
      description: "Retry the payment call",
      statusHistory: [{ at: NOW - 2 * DAY, fromStatusId: "10000", toStatusId: "3", byAccountId: null }]
    }),
    issue("APP-4", { issueTypeId: "10004", parentKey: "APP-3", fixVersionIds: ["61"] }),
    issue("BIZ-1", { componentIds: ["51"], created: NOW - 40 * DAY })
  ]
}

const context: EvaluationContext = {
  index: buildIndex(dataset),
  now: NOW,
  timeZone: "UTC",
  currentAccountId: USERS.demoBot.accountId,
  visibleProjects: null,
  anonymous: false
}

const run = (jql: string): string[] => {
  const compiled = compileQuery(parseJql(jql), context)
  if (!compiled.ok) throw new Error(compiled.errors.join("; "))
  return runQuery(compiled, dataset.issues).map((i) => i.key)
}
const matching = (jql: string): string[] => run(jql).sort()
const errors = (jql: string): ReadonlyArray<string> => {
  const compiled = compileQuery(parseJql(jql), context)
  return compiled.ok ? [] : compiled.errors
}

describe("fields of issue 12", () => {
  it.each([
    ["resolution = Unresolved", ["APP-1", "APP-3", "APP-4", "BIZ-1"]],
    ["resolution = Done", ["APP-2"]],
    ["resolution is not EMPTY", ["APP-2"]],
    ["labels in (customer, urgent)", ["APP-1", "APP-3"]],
    ["labels is EMPTY", ["APP-2", "APP-4", "BIZ-1"]],
    ["labels != urgent", ["APP-1"]],
    ["issuetype = Sub-task", ["APP-4"]],
    ["issuetype in (Epic, Story)", ["APP-1"]],
    ["component = Backend", ["APP-2", "BIZ-1"]],
    ["project = APP AND component = Backend", ["APP-2"]],
    ["component is EMPTY", ["APP-1", "APP-3", "APP-4"]],
    ["reporter = currentUser()", ["APP-2"]],
    ["reporter is EMPTY", ["APP-3", "APP-4", "BIZ-1"]],
    ["resolved >= -7d", ["APP-2"]],
    ["resolutiondate is EMPTY", ["APP-1", "APP-3", "APP-4", "BIZ-1"]],
    ["parent = APP-1", ["APP-2"]],
    ["parent in (APP-1, APP-3)", ["APP-2", "APP-4"]],
    ["parent is EMPTY", ["APP-1", "APP-3", "BIZ-1"]],
    ['fixVersion = "1.0"', ["APP-2"]],
    ["fixVersion in unreleasedVersions()", ["APP-4"]],
    ["fixVersion is EMPTY", ["APP-1", "APP-3", "BIZ-1"]],
    ["sprint in openSprints()", ["APP-3"]],
    ["sprint in closedSprints()", ["APP-2", "APP-3"]],
    ['sprint = "APP Sprint 1"', ["APP-2", "APP-3"]],
    ["sprint is EMPTY", ["APP-1", "APP-4", "BIZ-1"]],
    ["cf[10020] in openSprints()", ["APP-3"]],
    ["cf[10010] > 3", ["APP-2"]],
    ["cf[10010] <= 2", ["APP-3"]],
    ["cf[10010] is EMPTY", ["APP-1", "APP-4", "BIZ-1"]],
    ['"Story Points" = 5', ["APP-2"]],
    ['text ~ "payment"', ["APP-2", "APP-3"]],
    ['comment ~ "gateway"', ["APP-2"]],
    ['description ~ "retry"', ["APP-3"]],
    ["description is EMPTY", ["APP-1", "APP-2", "APP-4", "BIZ-1"]]
  ])("%s", (jql, expected) => {
    expect(matching(jql)).toEqual(expected)
  })

  it("orders by Rank, issues without a rank last", () => {
    expect(run("project = APP ORDER BY Rank ASC")).toEqual(["APP-2", "APP-1", "APP-3", "APP-4"])
    expect(run("project = APP ORDER BY rank DESC")).toEqual(["APP-4", "APP-3", "APP-1", "APP-2"])
  })

  it("refuses values that do not exist, in Jira's words", () => {
    expect(errors("resolution = Fixed")).toEqual(["The value 'Fixed' does not exist for the field 'resolution'."])
    expect(errors('fixVersion = "9.9"')).toEqual(["The value '9.9' does not exist for the field 'fixVersion'."])
    expect(errors("parent = APP-99")).toEqual(["An issue with key 'APP-99' does not exist for field 'parent'."])
    expect(errors("cf[10010] > many")).toEqual(["The value 'many' for field 'cf[10010]' is not a valid number."])
    expect(errors("sprint in nextSprints()")).toEqual(["Unable to find JQL function 'nextSprints()'."])
  })
})

describe("history: WAS and CHANGED on status", () => {
  it.each([
    ['status WAS "In Progress"', ["APP-2", "APP-3"]],
    ['status WAS "To Do"', ["APP-1", "APP-2", "APP-3", "APP-4", "BIZ-1"]],
    ['status WAS NOT "In Progress"', ["APP-1", "APP-4", "BIZ-1"]],
    ['status WAS IN ("In Progress", Done)', ["APP-2", "APP-3"]],
    ['status WAS "In Progress" BEFORE -10d', ["APP-2"]],
    ['status WAS "In Progress" AFTER -1d', ["APP-3"]],
    ['status WAS "In Progress" DURING (-25d, -19d)', ["APP-2"]],
    ['status WAS "In Progress" BY currentUser()', []],
    ["status CHANGED", ["APP-2", "APP-3"]],
    ["status CHANGED AFTER -7d", ["APP-2", "APP-3"]],
    ["status CHANGED AFTER -7d TO Done", ["APP-2"]],
    ['status CHANGED FROM "To Do" TO "In Progress" BEFORE -10d', ["APP-2"]],
    ["status CHANGED BY currentUser()", ["APP-2"]],
    ["status CHANGED DURING (startOfMonth(), now())", ["APP-2", "APP-3"]],
    ["status CHANGED ON -3d", ["APP-2"]],
    ["NOT status CHANGED", ["APP-1", "APP-4", "BIZ-1"]]
  ])("%s", (jql, expected) => {
    expect(matching(jql)).toEqual(expected)
  })

  it("refuses what it does not simulate with a clear 400 message", () => {
    expect(errors("assignee WAS currentUser()")[0]).toMatch(/simulated for the 'status' field only/)
    expect(errors("status WAS Done FROM Open")[0]).toMatch(/only supported by the 'CHANGED' operator/)
    expect(errors("status CHANGED DURING (-1d)")).toEqual([
      "The 'DURING' predicate takes two dates: DURING (start, end)."
    ])
    expect(errors("status WAS Nope")).toEqual(["The value 'Nope' does not exist for the field 'status'."])
  })
})
