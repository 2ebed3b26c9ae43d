import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { JqlSyntaxError } from "../../src/jql/errors.ts"
import { quoteJql, tokenize } from "../../src/jql/lexer.ts"

const strings = (jql: string) =>
  tokenize(jql).flatMap((t) => (t.kind === "string" ? [{ value: t.value, quoted: t.quoted }] : []))

const kinds = (jql: string) => tokenize(jql).map((t) => (t.kind === "operator" ? t.value : t.kind))

describe("tokenize", () => {
  it("splits operators, parentheses and commas without spaces", () => {
    expect(kinds("a=b AND(c!=d,e>=f)")).toEqual([
      "string",
      "=",
      "string",
      "string",
      "lparen",
      "string",
      "!=",
      "string",
      "comma",
      "string",
      ">=",
      "string",
      "rparen",
      "eof"
    ])
    expect(kinds("a<b a<=b a>b a~b a!~b")).toContain("!~")
  })

  it("reads symbolic logical operators", () => {
    expect(kinds("a=b && c=d || !e=f & g=h | i=j")).toEqual([
      "string",
      "=",
      "string",
      "and",
      "string",
      "=",
      "string",
      "or",
      "not",
      "string",
      "=",
      "string",
      "and",
      "string",
      "=",
      "string",
      "or",
      "string",
      "=",
      "string",
      "eof"
    ])
  })

  it("reads double- and single-quoted strings with every valid escape", () => {
    expect(strings(String.raw`"a\"b" 'c\'d' "e\\f" "g\nh\ri\tj" "k\ l" "\u00e9\u4e2D"`)).toEqual([
      { value: 'a"b', quoted: true },
      { value: "c'd", quoted: true },
      { value: "e\\f", quoted: true },
      { value: "g\nh\ri\tj", quoted: true },
      { value: "k l", quoted: true },
      { value: "é中", quoted: true }
    ])
    expect(strings(`"it's" 'say "hi"'`)).toEqual([
      { value: "it's", quoted: true },
      { value: 'say "hi"', quoted: true }
    ])
  })

  it("reads bare words with dashes, dots and escapes", () => {
    expect(strings(String.raw`DEMO-12 -30d 2024-01-31 v1.0 foo\ bar`)).toEqual([
      { value: "DEMO-12", quoted: false },
      { value: "-30d", quoted: false },
      { value: "2024-01-31", quoted: false },
      { value: "v1.0", quoted: false },
      { value: "foo bar", quoted: false }
    ])
  })

  it("refuses any other escape, with Jira's message and position", () => {
    expect(() => tokenize(String.raw`text ~ "a\!b"`)).toThrow(JqlSyntaxError)
    expect(() => tokenize(String.raw`text ~ "a\!b"`)).toThrow(
      String.raw`Error in the JQL Query: '\!' is an illegal JQL escape sequence. The valid escape sequences are \', \", \t, \n, \r, \\, '\ ' and \uXXXX. (line 1, character 10)`
    )
    expect(() => tokenize(String.raw`"\u12"`)).toThrow("illegal JQL escape sequence")
    expect(() => tokenize(String.raw`"\x41"`)).toThrow("'\\x'")
    expect(() => tokenize('"abc\\')).toThrow()
  })

  it("refuses unterminated strings and raw newlines inside quotes", () => {
    expect(() => tokenize('summary ~ "abc')).toThrow(
      "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)"
    )
    expect(() => tokenize('summary ~ "a\nb"')).toThrow("has not been completed")
  })

  it("refuses reserved characters outside quotes", () => {
    expect(() => tokenize("text ~ win*")).toThrow(
      "Error in the JQL Query: The character '*' is a reserved JQL character. You must enclose it in a string or use the escape '\\u002a' instead. (line 1, character 11)"
    )
    expect(() => tokenize("a = b%")).toThrow("'%'")
    expect(strings('text ~ "win*"')).toEqual([
      { value: "text", quoted: false },
      { value: "win*", quoted: true }
    ])
  })

  it("counts lines and characters from 1", () => {
    expect(() => tokenize('project = DEMO\nAND summary ~ "x\\q"')).toThrow("(line 2, character 17)")
  })
})

describe("quoteJql", () => {
  it("escapes backslash first, then quotes, then control characters", () => {
    expect(quoteJql('a\\"b')).toBe(String.raw`"a\\\"b"`)
    expect(quoteJql("line\nbreak\ttab\u0001\u2028")).toBe(String.raw`"line\nbreak\ttab\u0001\u2028"`)
  })

  it("round-trips any string through the tokenizer as one quoted literal", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (value) => {
        const tokens = tokenize(quoteJql(value))
        expect(tokens).toHaveLength(2)
        const [token] = tokens
        expect(token?.kind === "string" && token.quoted ? token.value : undefined).toBe(value)
      }),
      { numRuns: 500 }
    )
  })

  it("keeps a quoted value inside its clause whatever it contains", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (value) => {
        const values = strings(`summary ~ ${quoteJql(value)} AND project = DEMO`)
        expect(values.map((v) => v.value)).toEqual(["summary", value, "AND", "project", "DEMO"])
      }),
      { numRuns: 300 }
    )
  })
})
