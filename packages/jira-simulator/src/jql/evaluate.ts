import type { SimIssue } from "../types.ts"
import type { EvaluationContext } from "./context.ts"
import { DATE_FUNCTIONS, evaluateDateFunction, INVALID_DATE_HINT, parseDateValue, toMinute } from "./dates.ts"
import {
  anonymousField,
  type DateField,
  FIELDS,
  type FieldKind,
  type FieldSpec,
  type TextField,
  textOf,
  unknownField,
  valuesGetter
} from "./fields.ts"
import { compileHistory } from "./history.ts"
import { quoteJql } from "./lexer.ts"
import { type Comparator, compileOrderBy, issueNumber } from "./ordering.ts"
import type { Clause, ClauseOperator, FieldRef, Operand, Query, SingleOperand } from "./parser.ts"
import { compileTextQuery, matchesText, type TextDocument, textDocument } from "./text.ts"
import { resolveValues } from "./values.ts"

export type { EvaluationContext } from "./context.ts"

export const UNBOUNDED_MESSAGE =
  "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."

type Predicate = (issue: SimIssue) => boolean

export type Compiled =
  | { readonly ok: true; readonly predicate: Predicate; readonly comparator: Comparator }
  | { readonly ok: false; readonly errors: ReadonlyArray<string> }

const textCache = new WeakMap<SimIssue, Map<TextField, TextDocument | null>>()
const docOf = (issue: SimIssue, field: TextField): TextDocument | null => {
  let docs = textCache.get(issue)
  if (docs === undefined) {
    docs = new Map()
    textCache.set(issue, docs)
  }
  let doc = docs.get(field)
  if (doc === undefined) {
    const text = textOf(issue, field)
    doc = text === null ? null : textDocument(text)
    docs.set(field, doc)
  }
  return doc
}

const noneMatch: Predicate = () => false

const operandText = (operand: Operand): string => {
  switch (operand.type) {
    case "value":
      return quoteJql(operand.value)
    case "empty":
      return operand.keyword
    case "function":
      return `${operand.name}(${operand.args.join(", ")})`
    case "list":
      return `(${operand.items.map(operandText).join(", ")})`
  }
}

class Compiler {
  readonly errors: string[] = []

  constructor(private readonly ctx: EvaluationContext) {}

  compileClause(clause: Clause): Predicate {
    switch (clause.type) {
      case "and": {
        const parts = clause.clauses.map((c) => this.compileClause(c))
        return (issue) => parts.every((p) => p(issue))
      }
      case "or": {
        const parts = clause.clauses.map((c) => this.compileClause(c))
        return (issue) => parts.some((p) => p(issue))
      }
      case "not": {
        const inner = this.compileClause(clause.clause)
        return (issue) => !inner(issue)
      }
      case "terminal":
        return this.compileTerminal(clause.field, clause.operator, clause.operand)
      case "history":
        return this.compileHistoryClause(clause)
    }
  }

  private fieldSpec(field: FieldRef): FieldSpec | undefined {
    const spec = FIELDS[field.name.toLowerCase()]
    if (spec === undefined) this.errors.push(unknownField(field.name))
    else if (spec.customField === true && this.ctx.anonymous) {
      this.errors.push(anonymousField(field.name))
      return undefined
    }
    return spec
  }

  private compileHistoryClause(clause: Extract<Clause, { type: "history" }>): Predicate {
    if (this.fieldSpec(clause.field) === undefined) return noneMatch
    const items = (operand: Operand): ReadonlyArray<SingleOperand> =>
      operand.type === "list" ? operand.items : [operand]
    const collect = (operand: Operand, field: string, kind: FieldKind): ReadonlySet<string> | undefined => {
      const out = new Set<string>()
      for (const item of items(operand)) {
        const values = resolveValues(this.ctx, this.errors, field, kind, item)
        if (values === undefined) return undefined
        for (const v of values) if (v !== null) out.add(v)
      }
      return out
    }
    const predicate = compileHistory(clause.field.name, clause.operator, clause.operand, clause.predicates, {
      statuses: (operand) => collect(operand, clause.field.name, "status"),
      users: (operand) => collect(operand, "by", "assignee"),
      dates: (operand) => {
        const out: number[] = []
        for (const item of items(operand)) {
          const value = this.dateValue(clause.field.name, item)
          if (value === null) return undefined
          out.push(value)
        }
        return out
      },
      error: (message) => this.errors.push(message)
    })
    return predicate ?? noneMatch
  }

  private compileTerminal(field: FieldRef, operator: ClauseOperator, operand: Operand): Predicate {
    const spec = this.fieldSpec(field)
    if (spec === undefined) return noneMatch
    if (!this.checkOperandShape(field.name, operator, operand)) return noneMatch
    if (!spec.operators.has(operator)) {
      this.errors.push(`The operator '${operator}' is not supported by the '${field.name}' field.`)
      return noneMatch
    }
    switch (spec.kind) {
      case "text":
        return this.compileText(field.name, spec.text ?? "text", operator, operand)
      case "date":
        return this.compileDate(field.name, spec.date ?? "created", operator, operand)
      default:
        return this.compileValueField(field.name, spec, operator, operand)
    }
  }

  private checkOperandShape(field: string, operator: ClauseOperator, operand: Operand): boolean {
    if (operator === "in" || operator === "not in") {
      if (operand.type === "value" || operand.type === "empty") {
        this.errors.push(
          `Operator '${operator}' does not support the non-list value '${operandText(operand)}' for field '${field}'.`
        )
        return false
      }
      return true
    }
    if (operand.type === "list") {
      this.errors.push(
        `Operator '${operator}' does not support the list value '${operandText(operand)}' for field '${field}'.`
      )
      return false
    }
    if ((operator === "is" || operator === "is not") && operand.type !== "empty") {
      this.errors.push(`The operator '${operator}' only supports the 'EMPTY' operand for field '${field}'.`)
      return false
    }
    return true
  }

  private compileText(field: string, which: TextField, operator: ClauseOperator, operand: Operand): Predicate {
    if (operator === "is") return (issue) => textOf(issue, which) === null
    if (operator === "is not") return (issue) => textOf(issue, which) !== null
    if (operand.type !== "value") {
      this.errors.push(
        `The operator '${operator}' does not support the operand '${operandText(operand)}' for field '${field}'.`
      )
      return noneMatch
    }
    const query = compileTextQuery(operand.value, field)
    if (!query.ok) {
      this.errors.push(query.error)
      return noneMatch
    }
    const match: Predicate = (issue) => {
      const doc = docOf(issue, which)
      return doc !== null && matchesText(doc, query.terms)
    }
    return operator === "~" ? match : (issue) => !match(issue)
  }

  private compileDate(field: string, which: DateField, operator: ClauseOperator, operand: Operand): Predicate {
    const get = (issue: SimIssue): number | null => (which === "resolved" ? (issue.resolved ?? null) : issue[which])
    if (operator === "is") return (issue) => get(issue) === null
    if (operator === "is not") return (issue) => get(issue) !== null
    const items = operand.type === "list" ? operand.items : [operand]
    const values: number[] = []
    for (const item of items) {
      const value = this.dateValue(field, item)
      if (value !== null) values.push(value)
    }
    if (values.length !== items.length) return noneMatch
    const first = values[0] ?? 0
    const set = new Set(values.map(toMinute))
    const test = (at: number): boolean => {
      switch (operator) {
        case "=":
          return toMinute(at) === toMinute(first)
        case "!=":
          return toMinute(at) !== toMinute(first)
        case "<":
          return at < first
        case "<=":
          return at <= first
        case ">":
          return at > first
        case ">=":
          return at >= first
        case "in":
          return set.has(toMinute(at))
        case "not in":
          return !set.has(toMinute(at))
        default:
          return false
      }
    }
    // An empty date matches no comparison, `!=` included.
    return (issue) => {
      const at = get(issue)
      return at !== null && test(at)
    }
  }

  private dateValue(field: string, operand: SingleOperand): number | null {
    if (operand.type === "empty") return null
    if (operand.type === "function") {
      if (!DATE_FUNCTIONS.has(operand.name.toLowerCase())) {
        this.errors.push(`Unable to find JQL function '${operand.name}(${operand.args.join(", ")})'.`)
        return null
      }
      const result = evaluateDateFunction(operand.name, operand.args, this.ctx.now, this.ctx.timeZone)
      if (!result.ok) {
        this.errors.push(result.error)
        return null
      }
      return result.value
    }
    const value = parseDateValue(operand.value, this.ctx.now, this.ctx.timeZone)
    if (value === null)
      this.errors.push(`Date value '${operand.value}' for field '${field}' is invalid. ${INVALID_DATE_HINT}`)
    return value
  }

  private compileValueField(field: string, spec: FieldSpec, operator: ClauseOperator, operand: Operand): Predicate {
    const items = operand.type === "list" ? operand.items : [operand]
    const resolved: Array<string | null> = []
    let failed = false
    for (const item of items) {
      const values = resolveValues(this.ctx, this.errors, field, spec.kind, item)
      if (values === undefined) failed = true
      else resolved.push(...values)
    }
    if (failed) return noneMatch
    const get = valuesGetter(spec.kind, this.ctx.index, spec.customId)
    const wantsEmpty = resolved.includes(null)
    const set = new Set(resolved.filter((v): v is string => v !== null))
    switch (operator) {
      case "=":
      case "in":
        return (issue) => {
          const values = get(issue)
          return values.length === 0 ? wantsEmpty : values.some((v) => set.has(v))
        }
      // Like Jira, `!=` and `NOT IN` never match an empty field: `assignee != x` leaves out unassigned issues.
      case "!=":
      case "not in":
        return (issue) => {
          const values = get(issue)
          return values.length > 0 && !values.some((v) => set.has(v))
        }
      case "is":
        return (issue) => get(issue).length === 0
      case "is not":
        return (issue) => get(issue).length > 0
      default:
        return this.compileOrdered(field, spec, operator, [...set], wantsEmpty)
    }
  }

  private compileOrdered(
    field: string,
    spec: FieldSpec,
    operator: ClauseOperator,
    values: string[],
    empty: boolean
  ): Predicate {
    if (values.length === 0 && !empty) return noneMatch
    if (empty || values.length !== 1 || values[0] === undefined) {
      this.errors.push(`The operator '${operator}' does not support the value given for field '${field}'.`)
      return noneMatch
    }
    const target = values[0]
    const { index } = this.ctx
    const compare = (rank: number, targetRank: number): boolean => {
      switch (operator) {
        case "<":
          return rank < targetRank
        case "<=":
          return rank <= targetRank
        case ">":
          return rank > targetRank
        default:
          return rank >= targetRank
      }
    }
    if (spec.kind === "number") {
      const get = valuesGetter("number", index, spec.customId)
      const limit = Number(target)
      return (issue) => get(issue).some((v) => compare(Number(v), limit))
    }
    if (spec.kind === "key") {
      const targetIssue = index.issuesById.get(target)
      if (targetIssue === undefined) return noneMatch
      const limit = issueNumber(targetIssue)
      return (issue) => issue.projectKey === targetIssue.projectKey && compare(issueNumber(issue), limit)
    }
    const limit = index.priorityRank.get(target)
    if (limit === undefined) return noneMatch
    return (issue) => {
      const rank = index.priorityRank.get(issue.priorityId ?? "")
      return rank !== undefined && compare(rank, limit)
    }
  }
}

/** Checks a parsed query against the data and turns it into a filter and an order. */
export const compileQuery = (query: Query, ctx: EvaluationContext): Compiled => {
  const compiler = new Compiler(ctx)
  const predicate = query.where === null ? () => true : compiler.compileClause(query.where)
  const errors = [...compiler.errors]
  const comparator = compileOrderBy(query.orderBy, ctx, errors)
  if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] }
  const visible = ctx.visibleProjects
  return {
    ok: true,
    predicate: visible === null ? predicate : (issue) => visible.has(issue.projectKey) && predicate(issue),
    comparator
  }
}

/** Jira refuses a search without any restriction: no WHERE clause at all. */
export const isBounded = (query: Query): boolean => query.where !== null

/** The matching issues, in order. */
export const runQuery = (compiled: Extract<Compiled, { ok: true }>, issues: ReadonlyArray<SimIssue>): SimIssue[] =>
  issues.filter(compiled.predicate).sort(compiled.comparator)
