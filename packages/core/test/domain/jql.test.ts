import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { filterClauses, quote, scope, splitOrderBy, UNASSIGNED_FILTER } from "../../src/domain/jql.ts"
import { tokenize } from "../../src/testing/mini-jql.ts"

/** The parts of a query outside quotes and parentheses: where an escaped value would show. */
const topLevel = (jql: string): string => {
  let depth = 0
  let inQuote = false
  let out = ""
  for (let i = 0; i < jql.length; i++) {
    const ch = jql[i]
    if (inQuote) {
      if (ch === "\\") i++
      else if (ch === '"') inQuote = false
      continue
    }
    if (ch === '"') inQuote = true
    else if (ch === "(") depth++
    else if (ch === ")") depth--
    else if (depth === 0) out += ch
  }
  return out
}

describe("quote", () => {
  it("escapes backslash, quote and control characters", () => {
    expect(quote('a"b')).toBe('"a\\"b"')
    expect(quote("a\\b")).toBe('"a\\\\b"')
    expect(quote('a\\"')).toBe('"a\\\\\\""')
    expect(quote("line\nnext\r\t")).toBe('"line\\nnext\\r\\t"')
    expect(quote("bell\u0007")).toBe('"bell\\u0007"')
    expect(quote("ünï 🙂")).toBe('"ünï 🙂"')
  })

  it("never lets a value escape its quotes (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const tokens = tokenize(`summary ~ ${quote(value)}`)
        expect(tokens).toHaveLength(3)
        expect(tokens[2]).toEqual({ kind: "string", text: value })
      }),
      { numRuns: 2000 }
    )
  })

  it("keeps JQL keywords and operators literal (property)", () => {
    const nasty = fc.constantFrom('" OR project != "X', "\\", '\\"', ") OR (1=1", "ORDER BY key", "\n", '"', "'")
    fc.assert(
      fc.property(fc.array(fc.oneof(nasty, fc.string()), { maxLength: 6 }), (parts) => {
        const value = parts.join("")
        const tokens = tokenize(`text ~ ${quote(value)}`)
        expect(tokens.map((t) => t.kind)).toEqual(["word", "op", "string"])
      })
    )
  })
})

describe("splitOrderBy", () => {
  it("moves the top-level ORDER BY out", () => {
    expect(splitOrderBy("updated >= -30d ORDER BY updated DESC")).toEqual({
      where: "updated >= -30d",
      orderBy: "updated DESC"
    })
    expect(splitOrderBy("order by key")).toEqual({ where: "", orderBy: "key" })
    expect(splitOrderBy("project = X")).toEqual({ where: "project = X", orderBy: "" })
  })

  it("ignores ORDER BY inside quotes and parentheses", () => {
    expect(splitOrderBy('summary ~ "order by x" order by key').where).toBe('summary ~ "order by x"')
    expect(splitOrderBy("summary ~ 'ORDER BY' AND x = 1")).toEqual({
      where: "summary ~ 'ORDER BY' AND x = 1",
      orderBy: ""
    })
    expect(splitOrderBy('summary ~ "a\\" ORDER BY b"')).toEqual({ where: 'summary ~ "a\\" ORDER BY b"', orderBy: "" })
    expect(splitOrderBy("(a = 1)ORDER BY b").orderBy).toBe("b")
    expect(splitOrderBy("reorder by = 1").orderBy).toBe("")
  })
})

describe("scope", () => {
  it("parenthesises the default and each clause, then orders", () => {
    expect(scope("a = 1 OR b = 2 ORDER BY updated DESC", ['project = "X"'])).toBe(
      '(a = 1 OR b = 2) AND (project = "X") ORDER BY updated DESC'
    )
    expect(scope("a = 1 ORDER BY updated DESC", ["x = 1"], "")).toBe("(a = 1) AND (x = 1)")
    expect(scope("", ["x = 1"], "key")).toBe("(x = 1) ORDER BY key")
  })

  it("always binds the scope: nothing but AND at the top level (property)", () => {
    const clause = fc.constantFrom("a = 1", "b = 2 OR c = 3", 'summary ~ "x) OR (y"', "NOT d = 4", "(e = 5 OR f = 6)")
    const defaultJql = fc
      .array(clause, { minLength: 1, maxLength: 4 })
      .chain((parts) =>
        fc.tuple(
          fc.constant(parts),
          fc.array(fc.constantFrom(" AND ", " OR "), { minLength: parts.length, maxLength: parts.length })
        )
      )
      .map(([parts, ops]) => parts.map((p, i) => (i === 0 ? p : `${ops[i]}${p}`)).join(""))
    fc.assert(
      fc.property(defaultJql, fc.string(), fc.boolean(), (base, text, ordered) => {
        const jql = scope(ordered ? `${base} ORDER BY updated DESC` : base, [
          'project = "KEY"',
          ...filterClauses({ text })
        ])
        const outside = topLevel(splitOrderBy(jql).where)
        expect(outside.split(/\s+/).filter((word) => word !== "")).toEqual(
          Array(outside.split(/\s+/).filter((w) => w !== "").length).fill("AND")
        )
        expect(jql).toContain('(project = "KEY")')
      })
    )
  })
})

describe("filterClauses", () => {
  it("turns each set filter into one clause, with values quoted", () => {
    expect(
      filterClauses({ statusCategory: "indeterminate", priority: 'Hi"gh', assignee: "acc-1", text: "  login bug " })
    ).toEqual(['statusCategory = "indeterminate"', 'priority = "Hi\\"gh"', 'assignee = "acc-1"', 'text ~ "login bug"'])
    expect(filterClauses({ assignee: UNASSIGNED_FILTER })).toEqual(["assignee IS EMPTY"])
    expect(filterClauses({ text: "   ", priority: "" })).toEqual([])
  })
})
