import { describe, expect, it } from "@effect/vitest"
import { diffFields } from "../../src/domain/audit.ts"
import { DEFAULT_JQL, effectiveDefaultJql } from "../../src/domain/jira-config.ts"

describe("diffFields", () => {
  it("lists only changed fields, sorted, with null for absent sides", () => {
    expect(diffFields(null, { name: "a", baseUrl: "u" })).toEqual([
      { field: "baseUrl", from: null, to: "u" },
      { field: "name", from: null, to: "a" }
    ])
    expect(diffFields({ name: "a", jql: "x" }, { name: "b", jql: "x" })).toEqual([
      { field: "name", from: "a", to: "b" }
    ])
    expect(diffFields({ name: "a" }, null)).toEqual([{ field: "name", from: "a", to: null }])
  })
})

describe("effectiveDefaultJql", () => {
  it("falls back to the bounded default when blank", () => {
    expect(effectiveDefaultJql("")).toBe(DEFAULT_JQL)
    expect(effectiveDefaultJql("   ")).toBe(DEFAULT_JQL)
    expect(effectiveDefaultJql(null)).toBe(DEFAULT_JQL)
    expect(effectiveDefaultJql(" assignee = currentUser() ")).toBe("assignee = currentUser()")
    expect(DEFAULT_JQL).toBe("updated >= -30d ORDER BY updated DESC")
  })
})
