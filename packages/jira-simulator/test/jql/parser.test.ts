import { describe, expect, it } from "vitest"
import { type Clause, parseJql } from "../../src/jql/parser.ts"

/** A compact rendering of the tree: shows grouping and precedence at a glance. */
const show = (clause: Clause | null): string => {
  if (clause === null) return "∅"
  switch (clause.type) {
    case "and":
    case "or":
      return `(${clause.clauses.map(show).join(` ${clause.type.toUpperCase()} `)})`
    case "not":
      return `NOT ${show(clause.clause)}`
    case "history":
      return `${clause.field.name} ${clause.operator.toUpperCase()}${clause.operand === null ? "" : " […]"}`
    case "terminal": {
      const o = clause.operand
      const operand =
        o.type === "list"
          ? `[${o.items.map((i) => (i.type === "value" ? i.value : i.type === "empty" ? "EMPTY" : `${i.name}()`)).join(",")}]`
          : o.type === "value"
            ? o.value
            : o.type === "empty"
              ? "EMPTY"
              : `${o.name}(${o.args.join(",")})`
      return `${clause.field.name} ${clause.operator} ${operand}`
    }
  }
}

const where = (jql: string) => show(parseJql(jql).where)

describe("parseJql", () => {
  it("parses an empty query and a query with only ORDER BY", () => {
    expect(parseJql("")).toEqual({ where: null, orderBy: [] })
    expect(parseJql("   ").where).toBeNull()
    const q = parseJql("ORDER BY key")
    expect(q.where).toBeNull()
    expect(q.orderBy.map((s) => s.field.name)).toEqual(["key"])
  })

  it("binds AND tighter than OR", () => {
    expect(where("a = 1 OR b = 2 AND c = 3")).toBe("(a = 1 OR (b = 2 AND c = 3))")
    expect(where("a = 1 AND b = 2 OR c = 3")).toBe("((a = 1 AND b = 2) OR c = 3)")
  })

  it("lets parentheses override precedence", () => {
    expect(where("(a = 1 OR b = 2) AND c = 3")).toBe("((a = 1 OR b = 2) AND c = 3)")
    expect(where("((a = 1))")).toBe("a = 1")
  })

  it("binds NOT tightest, and accepts ! and nested NOT", () => {
    expect(where("NOT a = 1 AND b = 2")).toBe("(NOT a = 1 AND b = 2)")
    expect(where("NOT (a = 1 OR b = 2)")).toBe("NOT (a = 1 OR b = 2)")
    expect(where("!a = 1")).toBe("NOT a = 1")
    expect(where("not not a = 1")).toBe("NOT NOT a = 1")
  })

  it("accepts keywords in any case and symbolic AND/OR", () => {
    expect(where("a = 1 and b = 2 Or c = 3")).toBe("((a = 1 AND b = 2) OR c = 3)")
    expect(where("a = 1 && b = 2 || c = 3")).toBe("((a = 1 AND b = 2) OR c = 3)")
  })

  it("parses every operator", () => {
    expect(where("a = 1 AND a != 1 AND a < 1 AND a <= 1 AND a > 1 AND a >= 1 AND a ~ x AND a !~ x")).toBe(
      "(a = 1 AND a != 1 AND a < 1 AND a <= 1 AND a > 1 AND a >= 1 AND a ~ x AND a !~ x)"
    )
    expect(where("a IN (1, 2) AND a NOT IN (3) AND a IS EMPTY AND a IS NOT NULL AND a not in (4)")).toBe(
      "(a in [1,2] AND a not in [3] AND a is EMPTY AND a is not EMPTY AND a not in [4])"
    )
  })

  it("parses functions, EMPTY in lists and quoted field names", () => {
    expect(where("assignee = currentUser()")).toBe("assignee = currentUser()")
    expect(where("assignee in (currentUser(), EMPTY)")).toBe("assignee in [currentUser(),EMPTY]")
    expect(where("updated >= startOfMonth(-1M)")).toBe("updated >= startOfMonth(-1M)")
    expect(where('"Story Points" > 3')).toBe("Story Points > 3")
  })

  it("keeps quoted keywords as values", () => {
    expect(where('status = "AND"')).toBe("status = AND")
    expect(where("status = 'empty'")).toBe("status = empty")
  })

  it("parses ORDER BY with directions, case-insensitively", () => {
    const q = parseJql("project = DEMO order by priority DESC, updated, key asc")
    expect(q.orderBy.map((s) => [s.field.name, s.direction])).toEqual([
      ["priority", "desc"],
      ["updated", null],
      ["key", "asc"]
    ])
  })

  it("reports a missing operator like Jira", () => {
    expect(() => parseJql("invalid query")).toThrow(
      "Error in the JQL Query: Expecting operator but got 'query'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)"
    )
    expect(() => parseJql("project")).toThrow("Error in the JQL Query: Expecting operator before the end of the query.")
  })

  it("reports missing values, fields and parentheses", () => {
    expect(() => parseJql("project = ")).toThrow(
      "Expecting either a value, list or function before the end of the query."
    )
    expect(() => parseJql("project = )")).toThrow("Expecting either a value, list or function but got ')'.")
    expect(() => parseJql("project = AND")).toThrow("but got 'AND'")
    expect(() => parseJql("project = A AND")).toThrow("Expecting a field name at the end of the query.")
    expect(() => parseJql("(project = A")).toThrow("Expecting ')' before the end of the query.")
    expect(() => parseJql("project in (A, B")).toThrow("Expecting ')' before the end of the query.")
    expect(() => parseJql("project = A B = C")).toThrow(
      "Expecting either 'OR' or 'AND' but got 'B'. (line 1, character 13)"
    )
    expect(() => parseJql("project = A ORDER key")).toThrow("Expecting 'BY' but got 'key'.")
    expect(() => parseJql("project = A ORDER BY")).toThrow("Expecting a field name at the end of the query.")
    expect(() => parseJql("project = A ORDER BY key up")).toThrow("Expecting either 'ASC' or 'DESC' but got 'up'.")
  })

  it("refuses reserved words unless quoted", () => {
    expect(() => parseJql("status = select")).toThrow(
      "Error in the JQL Query: 'select' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"
    )
    expect(where('status = "select"')).toBe("status = select")
  })

  it("parses history operators with their predicates", () => {
    expect(show(parseJql('status WAS NOT IN ("To Do", Done) BEFORE -1d').where)).toBe("status WAS NOT IN […]")
    const changed = parseJql('status CHANGED FROM "To Do" TO Done AFTER -7d BY currentUser()').where
    expect(changed).toMatchObject({ type: "history", operator: "changed", operand: null })
    expect(changed?.type === "history" ? changed.predicates.map((p) => p.kind) : []).toEqual([
      "from",
      "to",
      "after",
      "by"
    ])
  })

  it("reads cf[n] as one field name", () => {
    expect(show(parseJql("cf[10010] > 3").where)).toBe("cf[10010] > 3")
  })
})
