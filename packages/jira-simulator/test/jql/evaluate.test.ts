import { describe, expect, it } from "vitest"
import { buildIndex } from "../../src/data-index.ts"
import { ISSUE_TYPES, PRIORITIES, STATUSES, USERS } from "../../src/dataset.ts"
import { compileQuery, type EvaluationContext, isBounded, runQuery } from "../../src/jql/evaluate.ts"
import { parseJql } from "../../src/jql/parser.ts"
import type { Dataset, SimIssue, SimProject } from "../../src/types.ts"

const NOW = Date.parse("2026-11-01T12:00:00.000Z")
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

const project = (id: string, key: string, name: string): SimProject => ({
  id,
  key,
  name,
  projectTypeKey: "software",
  leadAccountId: USERS.ada.accountId,
  simplified: false,
  avatarId: "10400",
  description: ""
})

let nextId = 100
const issue = (key: string, summary: string, fields: Partial<SimIssue>): SimIssue => ({
  id: String(nextId++),
  key,
  projectKey: key.split("-")[0] ?? "",
  summary,
  statusId: "10000",
  issueTypeId: "10002",
  assigneeAccountId: null,
  priorityId: "3",
  created: NOW - DAY,
  updated: NOW - DAY,
  ...fields
})

const dataset: Dataset = {
  users: Object.values(USERS),
  statuses: STATUSES,
  priorities: PRIORITIES,
  issueTypes: ISSUE_TYPES,
  projects: [project("10001", "ALPHA", "Alpha Project"), project("10002", "BETA", "Beta Équipe")],
  issues: [
    issue("ALPHA-1", "Fix login redirect loop", {
      statusId: "10000",
      assigneeAccountId: USERS.demoBot.accountId,
      priorityId: "2",
      issueTypeId: "10003",
      created: NOW - 40 * DAY,
      updated: NOW - DAY
    }),
    issue("ALPHA-2", "Add CSV export for reports", {
      statusId: "3",
      assigneeAccountId: USERS.ada.accountId,
      priorityId: null,
      created: NOW - 20 * DAY,
      updated: NOW - 10 * DAY
    }),
    issue("ALPHA-3", "<script>alert(1)</script>", {
      statusId: "10001",
      priorityId: "3",
      created: NOW - 10 * DAY,
      updated: NOW - 2 * HOUR
    }),
    issue("ALPHA-4", "数据导出失败", {
      statusId: "10101",
      assigneeAccountId: USERS.demoBot.accountId,
      priorityId: "1",
      created: Date.parse("2024-01-31T10:00:00.000Z"),
      updated: NOW - 100 * DAY
    }),
    issue("BETA-1", "Préparer la campagne d'été", {
      statusId: "10200",
      assigneeAccountId: USERS.amelie.accountId,
      priorityId: undefined,
      created: NOW - 5 * DAY,
      updated: NOW - 5 * DAY
    }),
    issue("BETA-2", "Loading dashboards slowly", {
      statusId: "10500",
      priorityId: "4",
      created: NOW - DAY,
      updated: NOW - 30 * MIN
    }),
    issue("BETA-3", 'Say "hi" to the team', {
      statusId: "10102",
      assigneeAccountId: USERS.ada.accountId,
      priorityId: "5",
      created: NOW - 60 * DAY,
      updated: NOW - 59 * DAY
    })
  ]
}

const index = buildIndex(dataset)

const context = (overrides: Partial<EvaluationContext> = {}): EvaluationContext => ({
  index,
  now: NOW,
  timeZone: "UTC",
  currentAccountId: USERS.demoBot.accountId,
  visibleProjects: null,
  anonymous: false,
  ...overrides
})

const compile = (jql: string, overrides: Partial<EvaluationContext> = {}) =>
  compileQuery(parseJql(jql), context(overrides))

/** Matching keys in the query's order. */
const keys = (jql: string, overrides: Partial<EvaluationContext> = {}): string[] => {
  const compiled = compile(jql, overrides)
  if (!compiled.ok) throw new Error(compiled.errors.join("; "))
  return runQuery(compiled, dataset.issues).map((i) => i.key)
}

/** Matching keys, sorted, for clauses where order does not matter. */
const matching = (jql: string, overrides: Partial<EvaluationContext> = {}): string[] => keys(jql, overrides).sort()

const errors = (jql: string, overrides: Partial<EvaluationContext> = {}): ReadonlyArray<string> => {
  const compiled = compile(jql, overrides)
  return compiled.ok ? [] : compiled.errors
}

describe("project", () => {
  it("matches by key, id or name, case-insensitively", () => {
    const alpha = ["ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-4"]
    expect(matching("project = ALPHA")).toEqual(alpha)
    expect(matching("project = alpha")).toEqual(alpha)
    expect(matching('project = "Alpha Project"')).toEqual(alpha)
    expect(matching("project = 10001")).toEqual(alpha)
    expect(matching("project != ALPHA")).toEqual(["BETA-1", "BETA-2", "BETA-3"])
    expect(matching("project in (ALPHA, BETA)")).toHaveLength(7)
    expect(matching("project not in (ALPHA)")).toEqual(["BETA-1", "BETA-2", "BETA-3"])
  })

  it("refuses an unknown project like Jira", () => {
    expect(errors("project = FOO")).toEqual(["The value 'FOO' does not exist for the field 'project'."])
    expect(errors("project in (ALPHA, FOO, BAR)")).toEqual([
      "The value 'FOO' does not exist for the field 'project'.",
      "The value 'BAR' does not exist for the field 'project'."
    ])
  })

  it("treats projects the caller cannot browse as missing", () => {
    const onlyBeta = { visibleProjects: new Set(["BETA"]) }
    expect(errors("project = ALPHA", onlyBeta)).toEqual(["The value 'ALPHA' does not exist for the field 'project'."])
    expect(matching("project in (BETA) OR priority = Highest", onlyBeta)).toEqual(["BETA-1", "BETA-2", "BETA-3"])
    expect(errors("key = ALPHA-1", onlyBeta)).toEqual(["An issue with key 'ALPHA-1' does not exist for field 'key'."])
  })

  it("refuses project values and custom fields for anonymous callers, as Jira does", () => {
    const anonymous = { anonymous: true, visibleProjects: new Set<string>(), currentAccountId: null }
    expect(errors("project = ALPHA", anonymous)).toEqual(["The value 'ALPHA' does not exist for the field 'project'."])
    expect(errors("sprint in openSprints()", anonymous)).toEqual([
      "Field 'sprint' does not exist or this field cannot be viewed by anonymous users."
    ])
    expect(matching("status = Done", anonymous)).toEqual([])
  })
})

describe("status and statusCategory", () => {
  it("match status names case-insensitively, localised names included", () => {
    expect(matching('status = "to do"')).toEqual(["ALPHA-1"])
    expect(matching('status = "In Arbeit"')).toEqual(["ALPHA-4"])
    expect(matching('status in ("À faire", Erledigt)')).toEqual(["BETA-1", "BETA-3"])
    expect(matching("status = 10001")).toEqual(["ALPHA-3"])
    expect(errors("status = Nope")).toEqual(["The value 'Nope' does not exist for the field 'status'."])
  })

  it("match categories by key, id, English and localised names", () => {
    expect(matching("statusCategory = done")).toEqual(["ALPHA-3", "BETA-3"])
    expect(matching('statusCategory = "In Progress"')).toEqual(["ALPHA-2", "ALPHA-4"])
    expect(matching("statusCategory = indeterminate")).toEqual(["ALPHA-2", "ALPHA-4"])
    expect(matching('statuscategory = "In Arbeit"')).toEqual(["ALPHA-2", "ALPHA-4"])
    expect(matching("statusCategory = 4")).toEqual(["ALPHA-2", "ALPHA-4"])
    expect(matching('statusCategory = "To Do"')).toEqual(["ALPHA-1", "BETA-1"])
    expect(matching("statusCategory = undefined")).toEqual(["BETA-2"])
    expect(matching("statusCategory != done")).toHaveLength(5)
    expect(errors("statusCategory = Later")).toEqual([
      "The value 'Later' does not exist for the field 'statusCategory'."
    ])
  })
})

describe("assignee", () => {
  it("matches currentUser(), and nobody for an anonymous caller", () => {
    expect(matching("assignee = currentUser()")).toEqual(["ALPHA-1", "ALPHA-4"])
    expect(matching("assignee = currentUser()", { currentAccountId: null })).toEqual([])
    expect(errors("assignee = currentUser(x)")).toEqual([
      "Function 'currentUser' expected '0' arguments but received '1'."
    ])
  })

  it("matches EMPTY, NULL, IS EMPTY and IS NOT EMPTY", () => {
    expect(matching("assignee IS EMPTY")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("assignee = EMPTY")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("assignee is null")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("assignee IS NOT EMPTY")).toHaveLength(5)
    expect(matching("assignee in (currentUser(), EMPTY)")).toEqual(["ALPHA-1", "ALPHA-3", "ALPHA-4", "BETA-2"])
  })

  it("leaves unassigned issues out of != and NOT IN, as Jira does", () => {
    expect(matching("assignee != currentUser()")).toEqual(["ALPHA-2", "BETA-1", "BETA-3"])
    expect(matching("assignee not in (currentUser())")).toEqual(["ALPHA-2", "BETA-1", "BETA-3"])
  })

  it("matches account ids and display names", () => {
    expect(matching(`assignee = "${USERS.ada.accountId}"`)).toEqual(["ALPHA-2", "BETA-3"])
    expect(matching('assignee = "ada lovelace"')).toEqual(["ALPHA-2", "BETA-3"])
    expect(errors("assignee = nobody")).toEqual(["The value 'nobody' does not exist for the field 'assignee'."])
  })
})

describe("priority", () => {
  it("matches names, ids and EMPTY (null and missing alike)", () => {
    expect(matching("priority = High")).toEqual(["ALPHA-1"])
    expect(matching("priority = 1")).toEqual(["ALPHA-4"])
    expect(matching("priority IS EMPTY")).toEqual(["ALPHA-2", "BETA-1"])
    expect(matching("priority = EMPTY")).toEqual(["ALPHA-2", "BETA-1"])
    expect(matching("priority in (High, highest)")).toEqual(["ALPHA-1", "ALPHA-4"])
    expect(matching("priority != High")).toEqual(["ALPHA-3", "ALPHA-4", "BETA-2", "BETA-3"])
  })

  it("compares by rank, Highest being the greatest", () => {
    expect(matching("priority > Medium")).toEqual(["ALPHA-1", "ALPHA-4"])
    expect(matching("priority <= Low")).toEqual(["BETA-2", "BETA-3"])
  })
})

describe("dates", () => {
  it("compares with relative periods", () => {
    expect(matching("updated >= -1d")).toEqual(["ALPHA-1", "ALPHA-3", "BETA-2"])
    expect(matching("updated > -1d")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("updated >= -12h")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("updated >= -31m")).toEqual(["BETA-2"])
    expect(matching("updated < -2w")).toEqual(["ALPHA-4", "BETA-3"])
    expect(matching('updated >= "-1w 4d"')).toEqual(["ALPHA-1", "ALPHA-2", "ALPHA-3", "BETA-1", "BETA-2"])
    expect(matching("created <= -30d")).toEqual(["ALPHA-1", "ALPHA-4", "BETA-3"])
  })

  it("compares with absolute dates and times", () => {
    expect(matching('created < "2024-02-01"')).toEqual(["ALPHA-4"])
    expect(matching("created >= 2024/01/31 AND created < 2024-02-01")).toEqual(["ALPHA-4"])
    expect(matching('created = "2024-01-31 10:00"')).toEqual(["ALPHA-4"])
    expect(matching('createdDate = "2024/01/31 10:00"')).toEqual(["ALPHA-4"])
  })

  it("reads absolute dates in the caller's time zone", () => {
    // BETA-2 was created at 2026-10-31 12:00 UTC, which is 20:00 in Singapore.
    expect(matching('created >= "2026-10-31 20:00" AND project = BETA')).toEqual([])
    expect(matching('created >= "2026-10-31 20:00" AND project = BETA', { timeZone: "Asia/Singapore" })).toEqual([
      "BETA-2"
    ])
  })

  it("evaluates date functions", () => {
    expect(matching("created >= startOfDay(-1)")).toEqual(["BETA-2"])
    expect(matching("updated >= startOfDay()")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("updated <= now() AND updated > endOfDay(-1)")).toEqual(["ALPHA-3", "BETA-2"])
    expect(matching("created >= startOfMonth(-1M) AND created < startOfMonth()")).toEqual([
      "ALPHA-2",
      "ALPHA-3",
      "BETA-1",
      "BETA-2"
    ])
    expect(errors("created > lastWeek()")).toEqual(["Unable to find JQL function 'lastWeek()'."])
  })

  it("refuses malformed dates with Jira's hint", () => {
    expect(errors("updated > yesterday")[0]).toMatch(
      /^Date value 'yesterday' for field 'updated' is invalid\. Valid formats include: 'yyyy\/MM\/dd HH:mm'/
    )
    expect(errors('created > "2024-13-01"')).toHaveLength(1)
    expect(errors('created > "2024-02-30"')).toHaveLength(1)
  })
})

describe("text and summary", () => {
  it("matches words case-insensitively, with light stemming and wildcards", () => {
    expect(matching('text ~ "login"')).toEqual(["ALPHA-1"])
    expect(matching('summary ~ "LOGIN Fix"')).toEqual(["ALPHA-1"])
    expect(matching('text ~ "exports"')).toEqual(["ALPHA-2"])
    expect(matching('text ~ "expo*"')).toEqual(["ALPHA-2"])
    expect(matching('text ~ "load"')).toEqual(["BETA-2"])
    expect(matching('summary ~ "script"')).toEqual(["ALPHA-3"])
    expect(matching('summary ~ "campagne"')).toEqual(["BETA-1"])
    expect(matching("summary ~ campagne")).toEqual(["BETA-1"])
    expect(matching('summary ~ "hi"')).toEqual(["BETA-3"])
  })

  it("needs every term, and matches quoted phrases in order", () => {
    expect(matching('text ~ "login report"')).toEqual([])
    expect(matching('text ~ "\\"login redirect\\""')).toEqual(["ALPHA-1"])
    expect(matching('text ~ "\\"redirect login\\""')).toEqual([])
  })

  it("matches CJK text per character", () => {
    expect(matching('text ~ "数据"')).toEqual(["ALPHA-4"])
    expect(matching('text ~ "导出"')).toEqual(["ALPHA-4"])
  })

  it("negates with !~ and refuses leading wildcards", () => {
    expect(matching('summary !~ "login"')).toHaveLength(6)
    expect(errors('text ~ "*port"')).toEqual([
      "The text query '*port' for field 'text' is not allowed to start with a wildcard."
    ])
  })

  it("supports IS EMPTY on summary only", () => {
    expect(matching("summary IS NOT EMPTY")).toHaveLength(7)
    expect(errors("text IS EMPTY")).toEqual(["The operator 'is' is not supported by the 'text' field."])
  })
})

describe("key and issuetype", () => {
  it("match keys and ids, and compare within a project", () => {
    expect(matching("key = ALPHA-2")).toEqual(["ALPHA-2"])
    expect(matching("issuekey in (alpha-1, BETA-3)")).toEqual(["ALPHA-1", "BETA-3"])
    expect(matching(`id = ${dataset.issues[0]?.id}`)).toEqual(["ALPHA-1"])
    expect(matching("key > ALPHA-2")).toEqual(["ALPHA-3", "ALPHA-4"])
    expect(matching("key <= BETA-1")).toEqual(["BETA-1"])
    expect(errors("key = ALPHA-99")).toEqual(["An issue with key 'ALPHA-99' does not exist for field 'key'."])
    expect(errors("key = nope")).toEqual(["The issue key 'nope' for field 'key' is invalid."])
  })

  it("match issue types by name", () => {
    expect(matching("type = Bug")).toEqual(["ALPHA-1"])
    expect(matching("issuetype != Bug")).toHaveLength(6)
  })
})

describe("boolean structure", () => {
  it("applies AND before OR, and parentheses first", () => {
    expect(matching("project = ALPHA AND status = Done OR project = BETA")).toEqual([
      "ALPHA-3",
      "BETA-1",
      "BETA-2",
      "BETA-3"
    ])
    expect(matching("project = ALPHA AND (status = Done OR project = BETA)")).toEqual(["ALPHA-3"])
  })

  it("negates with NOT", () => {
    expect(matching("NOT project = ALPHA")).toEqual(["BETA-1", "BETA-2", "BETA-3"])
    expect(matching("project = ALPHA AND NOT (statusCategory = done OR assignee IS EMPTY)")).toEqual([
      "ALPHA-1",
      "ALPHA-2",
      "ALPHA-4"
    ])
  })
})

describe("validation", () => {
  it("refuses unknown fields with Jira's wording", () => {
    expect(errors("foo = bar")).toEqual(["Field 'foo' does not exist or you do not have permission to view it."])
  })

  it("refuses operators a field does not support", () => {
    expect(errors("summary = test")).toEqual(["The operator '=' is not supported by the 'summary' field."])
    expect(errors("project ~ DEMO")).toEqual(["The operator '~' is not supported by the 'project' field."])
  })

  it("checks list and non-list operands", () => {
    expect(errors("summary in test")).toEqual([
      `Operator 'in' does not support the non-list value '"test"' for field 'summary'.`
    ])
    expect(errors("status = (Done, Blocked)")).toEqual([
      `Operator '=' does not support the list value '("Done", "Blocked")' for field 'status'.`
    ])
    expect(errors("status is Done")).toEqual([
      "The operator 'is' only supports the 'EMPTY' operand for field 'status'."
    ])
  })

  it("reports every error at once", () => {
    expect(errors("foo = 1 AND project = NOPE AND status = Nope")).toHaveLength(3)
  })
})

describe("ORDER BY", () => {
  it("sorts by created DESC when no order is given", () => {
    expect(keys("project in (ALPHA, BETA)")).toEqual([
      "BETA-2",
      "BETA-1",
      "ALPHA-3",
      "ALPHA-2",
      "ALPHA-1",
      "BETA-3",
      "ALPHA-4"
    ])
  })

  it("sorts by one or more fields in either direction", () => {
    expect(keys("project = ALPHA ORDER BY key")).toEqual(["ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-4"])
    expect(keys("project = ALPHA ORDER BY key DESC")).toEqual(["ALPHA-4", "ALPHA-3", "ALPHA-2", "ALPHA-1"])
    expect(keys("project in (ALPHA, BETA) ORDER BY updated DESC")).toEqual([
      "BETA-2",
      "ALPHA-3",
      "ALPHA-1",
      "BETA-1",
      "ALPHA-2",
      "BETA-3",
      "ALPHA-4"
    ])
    expect(keys("project = BETA ORDER BY project ASC, key DESC")).toEqual(["BETA-3", "BETA-2", "BETA-1"])
  })

  it("puts empty values last ascending and first descending", () => {
    expect(keys("project in (ALPHA, BETA) ORDER BY priority DESC, key ASC")).toEqual([
      "ALPHA-2",
      "BETA-1",
      "ALPHA-4",
      "ALPHA-1",
      "ALPHA-3",
      "BETA-2",
      "BETA-3"
    ])
    expect(keys("assignee IS EMPTY OR project = BETA ORDER BY assignee ASC, key ASC")).toEqual([
      "BETA-3",
      "BETA-1",
      "ALPHA-3",
      "BETA-2"
    ])
  })

  it("allows 7 fields and refuses 8", () => {
    const seven = "key, created, updated, priority, status, assignee, summary"
    expect(errors(`project = ALPHA ORDER BY ${seven}`)).toEqual([])
    expect(errors(`project = ALPHA ORDER BY ${seven}, project`)).toEqual([
      "The ORDER BY clause may contain at most 7 fields."
    ])
  })

  it("refuses unknown and unsortable fields", () => {
    expect(errors("project = ALPHA ORDER BY foo")).toEqual([
      "Field 'foo' does not exist or you do not have permission to view it."
    ])
    expect(errors("project = ALPHA ORDER BY text")).toEqual(["Field 'text' does not support sorting."])
  })
})

describe("isBounded", () => {
  it("needs at least one restriction", () => {
    expect(isBounded(parseJql(""))).toBe(false)
    expect(isBounded(parseJql("ORDER BY key"))).toBe(false)
    expect(isBounded(parseJql("order by updated DESC, key"))).toBe(false)
    expect(isBounded(parseJql("project = ALPHA ORDER BY key"))).toBe(true)
    expect(isBounded(parseJql("assignee = currentUser()"))).toBe(true)
  })
})
