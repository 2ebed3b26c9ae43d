/**
 * A small JQL evaluator for the in-memory IssueSource: enough of the grammar to run every query the
 * use cases compose and the contract suite sends. The Jira simulator package has the full one.
 */
import type { JiraIssue } from "../domain/issues.ts"

export interface FakeIssue extends JiraIssue {
  readonly projectKey: string
  readonly created: Date
}

type Token = { readonly kind: "word" | "string" | "op" | "paren" | "comma"; readonly text: string }

export class JqlError extends Error {}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", n: "\n", r: "\r", t: "\t", " ": " " }

export const tokenize = (input: string): Array<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < input.length) {
    const ch = input[i] as string
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '"' || ch === "'") {
      let value = ""
      i++
      for (;;) {
        if (i >= input.length) throw new JqlError("Error in the JQL Query: unterminated string.")
        const c = input[i] as string
        if (c === ch) break
        if (c === "\\") {
          const next = input[i + 1] ?? ""
          if (next === "u") {
            const hex = input.slice(i + 2, i + 6)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JqlError("Error in the JQL Query: bad unicode escape.")
            value += String.fromCharCode(Number.parseInt(hex, 16))
            i += 6
            continue
          }
          const mapped = ESCAPES[next]
          if (mapped === undefined)
            throw new JqlError(`Error in the JQL Query: '\\${next}' is an illegal escape sequence.`)
          value += mapped
          i += 2
          continue
        }
        value += c
        i++
      }
      i++
      tokens.push({ kind: "string", text: value })
    } else if (ch === "(" || ch === ")") {
      tokens.push({ kind: "paren", text: ch })
      i++
    } else if (ch === ",") {
      tokens.push({ kind: "comma", text: ch })
      i++
    } else if (/[=!~<>]/.test(ch)) {
      const two = input.slice(i, i + 2)
      const op = ["!=", "!~", ">=", "<="].includes(two) ? two : ch
      tokens.push({ kind: "op", text: op })
      i += op.length
    } else {
      const m = /^[^\s()"',=!~<>]+/.exec(input.slice(i))
      if (m === null) throw new JqlError(`Error in the JQL Query: unexpected '${ch}'.`)
      tokens.push({ kind: "word", text: m[0] })
      i += m[0].length
    }
  }
  return tokens
}

type Value =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "empty" }
  | { readonly kind: "currentUser" }
type Expr =
  | { readonly kind: "and"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "or"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "not"; readonly expr: Expr }
  | { readonly kind: "clause"; readonly field: string; readonly op: string; readonly values: ReadonlyArray<Value> }

export interface ParsedJql {
  readonly where: Expr | null
  readonly orderBy: ReadonlyArray<{ readonly field: string; readonly desc: boolean }>
}

const FIELDS = [
  "project",
  "statuscategory",
  "status",
  "priority",
  "assignee",
  "text",
  "summary",
  "updated",
  "created",
  "key"
]

export const parse = (jql: string): ParsedJql => {
  const tokens = tokenize(jql)
  let pos = 0
  const peek = () => tokens[pos]
  const isWord = (word: string) => peek()?.kind === "word" && peek()?.text.toLowerCase() === word
  const expect = (text: string) => {
    if (peek()?.text.toLowerCase() !== text) throw new JqlError(`Error in the JQL Query: expected '${text}'.`)
    pos++
  }
  const value = (): Value => {
    const t = peek()
    if (t === undefined || (t.kind !== "word" && t.kind !== "string"))
      throw new JqlError("Error in the JQL Query: expected a value.")
    pos++
    if (t.kind === "word" && (t.text.toLowerCase() === "empty" || t.text.toLowerCase() === "null"))
      return { kind: "empty" }
    if (t.kind === "word" && t.text.toLowerCase() === "currentuser") {
      expect("(")
      expect(")")
      return { kind: "currentUser" }
    }
    return { kind: "literal", text: t.text }
  }
  const clause = (): Expr => {
    const f = peek()
    if (f === undefined || (f.kind !== "word" && f.kind !== "string"))
      throw new JqlError("Error in the JQL Query: expected a field.")
    pos++
    const field = f.text.toLowerCase()
    if (!FIELDS.includes(field))
      throw new JqlError(`Field '${f.text}' does not exist or you do not have permission to view it.`)
    let op: string
    if (peek()?.kind === "op") op = (tokens[pos++] as Token).text
    else if (isWord("in")) {
      pos++
      op = "in"
    } else if (isWord("not")) {
      pos++
      expect("in")
      op = "not in"
    } else if (isWord("is")) {
      pos++
      if (isWord("not")) {
        pos++
        op = "is not"
      } else op = "is"
    } else throw new JqlError("Error in the JQL Query: expected an operator.")
    if (op === "in" || op === "not in") {
      expect("(")
      const values = [value()]
      while (peek()?.kind === "comma") {
        pos++
        values.push(value())
      }
      expect(")")
      return { kind: "clause", field, op, values }
    }
    return { kind: "clause", field, op, values: [value()] }
  }
  const primary = (): Expr => {
    if (peek()?.text === "(") {
      pos++
      const inner = or()
      expect(")")
      return inner
    }
    if (isWord("not")) {
      pos++
      return { kind: "not", expr: primary() }
    }
    return clause()
  }
  const and = (): Expr => {
    let left = primary()
    while (isWord("and")) {
      pos++
      left = { kind: "and", left, right: primary() }
    }
    return left
  }
  const or = (): Expr => {
    let left = and()
    while (isWord("or")) {
      pos++
      left = { kind: "or", left, right: and() }
    }
    return left
  }
  const where = peek() === undefined || isWord("order") ? null : or()
  const orderBy: Array<{ field: string; desc: boolean }> = []
  if (isWord("order")) {
    pos++
    expect("by")
    do {
      if (peek()?.kind === "comma") pos++
      const f = peek()
      if (f === undefined || f.kind !== "word")
        throw new JqlError("Error in the JQL Query: expected a field to order by.")
      pos++
      let desc = false
      if (isWord("desc") || isWord("asc")) desc = (tokens[pos++] as Token).text.toLowerCase() === "desc"
      orderBy.push({ field: f.text.toLowerCase(), desc })
    } while (peek()?.kind === "comma")
  }
  if (pos < tokens.length) throw new JqlError(`Error in the JQL Query: unexpected '${(tokens[pos] as Token).text}'.`)
  return { where, orderBy }
}

const relative = /^-?(\d+)([dwhm])$/i
const UNIT_MS: Record<string, number> = { d: 86_400_000, w: 604_800_000, h: 3_600_000, m: 60_000 }

const dateValue = (text: string, now: Date): number => {
  const m = relative.exec(text)
  if (m !== null) {
    const sign = text.startsWith("-") ? -1 : 1
    return now.getTime() + sign * Number(m[1]) * (UNIT_MS[(m[2] as string).toLowerCase()] as number)
  }
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed)) throw new JqlError(`Date value '${text}' for field 'updated' is invalid.`)
  return parsed
}

export interface EvalContext {
  readonly now: Date
  readonly currentAccountId: string
  readonly projectKeys: ReadonlySet<string>
}

const fieldValue = (issue: FakeIssue, field: string): string | null => {
  switch (field) {
    case "project":
      return issue.projectKey
    case "statuscategory":
      return issue.status.category
    case "status":
      return issue.status.name
    case "priority":
      return issue.priority?.name ?? null
    case "assignee":
      return issue.assignee?.accountId ?? null
    case "key":
      return issue.key
    default:
      return issue.summary
  }
}

const CATEGORY_NAMES: Record<string, string> = { "to do": "new", "in progress": "indeterminate", done: "done" }

export const matches = (expr: Expr, issue: FakeIssue, ctx: EvalContext): boolean => {
  if (expr.kind === "and") return matches(expr.left, issue, ctx) && matches(expr.right, issue, ctx)
  if (expr.kind === "or") return matches(expr.left, issue, ctx) || matches(expr.right, issue, ctx)
  if (expr.kind === "not") return !matches(expr.expr, issue, ctx)
  const { field, op, values } = expr
  if (field === "updated" || field === "created") {
    const at = (field === "updated" ? issue.updated : issue.created).getTime()
    const first = values[0]
    if (first?.kind !== "literal") throw new JqlError(`Error in the JQL Query: '${field}' needs a date.`)
    const bound = dateValue(first.text, ctx.now)
    if (op === ">=") return at >= bound
    if (op === ">") return at > bound
    if (op === "<=") return at <= bound
    if (op === "<") return at < bound
    if (op === "=") return at === bound
    throw new JqlError(`Error in the JQL Query: operator '${op}' is not supported for '${field}'.`)
  }
  const actual = fieldValue(issue, field)
  const resolve = (v: Value): string | null => {
    if (v.kind === "empty") return null
    if (v.kind === "currentUser") return ctx.currentAccountId
    if (field === "project" && !ctx.projectKeys.has(v.text.toUpperCase())) {
      throw new JqlError(`The value '${v.text}' does not exist for the field 'project'.`)
    }
    if (field === "statuscategory") return CATEGORY_NAMES[v.text.toLowerCase()] ?? v.text.toLowerCase()
    return v.text
  }
  const eq = (v: Value) => {
    const expected = resolve(v)
    return expected === null ? actual === null : actual !== null && actual.toLowerCase() === expected.toLowerCase()
  }
  switch (op) {
    case "=":
    case "is":
      return values.some(eq)
    case "!=":
    case "is not":
      return !values.some(eq)
    case "in":
      return values.some(eq)
    case "not in":
      return !values.some(eq)
    case "~":
    case "!~": {
      const needle = resolve(values[0] ?? { kind: "empty" })?.toLowerCase() ?? ""
      const hit = (actual ?? "").toLowerCase().includes(needle)
      return op === "~" ? hit : !hit
    }
    default:
      throw new JqlError(`Error in the JQL Query: operator '${op}' is not supported for '${field}'.`)
  }
}

export const compareBy =
  (orderBy: ParsedJql["orderBy"]) =>
  (a: FakeIssue, b: FakeIssue): number => {
    for (const { field, desc } of orderBy) {
      const av =
        field === "updated"
          ? a.updated.getTime()
          : field === "created"
            ? a.created.getTime()
            : (fieldValue(a, field) ?? "")
      const bv =
        field === "updated"
          ? b.updated.getTime()
          : field === "created"
            ? b.created.getTime()
            : (fieldValue(b, field) ?? "")
      // Keys sort as Jira sorts them: by project, then by number (ALPHA-9 before ALPHA-10).
      const c = field === "key" ? a.key.localeCompare(b.key, "en", { numeric: true }) : av < bv ? -1 : av > bv ? 1 : 0
      if (c !== 0) return desc ? -c : c
    }
    return a.key.localeCompare(b.key, "en", { numeric: true })
  }
