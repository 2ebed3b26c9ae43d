import type { DataIndex } from "../data-index.ts"
import type { SimIssue, SimProject } from "../types.ts"
import { DATE_FUNCTIONS, evaluateDateFunction, INVALID_DATE_HINT, parseDateValue, toMinute } from "./dates.ts"
import { quoteJql } from "./lexer.ts"
import type { Clause, ClauseOperator, FieldRef, Operand, Query, SingleOperand, SortField } from "./parser.ts"
import { compileTextQuery, matchesText, type TextDocument, textDocument } from "./text.ts"

export const MAX_ORDER_BY_FIELDS = 7

export const UNBOUNDED_MESSAGE =
  "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."

export interface EvaluationContext {
  readonly index: DataIndex
  readonly now: number
  readonly timeZone: string
  /** `null` for an anonymous caller: `currentUser()` then matches nobody. */
  readonly currentAccountId: string | null
  /** Keys the caller may browse; `null` for all. Other projects and their issues do not exist for the caller. */
  readonly visibleProjects: ReadonlySet<string> | null
  /** Whether unknown values are errors (`project = FOO`); off for anonymous callers, who see nothing anyway. */
  readonly validateValues: boolean
}

export type Predicate = (issue: SimIssue) => boolean
export type Comparator = (a: SimIssue, b: SimIssue) => number

export type Compiled =
  | { readonly ok: true; readonly predicate: Predicate; readonly comparator: Comparator }
  | { readonly ok: false; readonly errors: ReadonlyArray<string> }

const textCache = new WeakMap<SimIssue, TextDocument>()
const docOf = (issue: SimIssue): TextDocument => {
  let doc = textCache.get(issue)
  if (doc === undefined) {
    doc = textDocument(issue.summary)
    textCache.set(issue, doc)
  }
  return doc
}

type FieldKind =
  | "project"
  | "status"
  | "statusCategory"
  | "assignee"
  | "priority"
  | "issuetype"
  | "key"
  | "date"
  | "text"
  | "summary"

interface FieldSpec {
  readonly kind: FieldKind
  readonly operators: ReadonlySet<ClauseOperator>
  /** For date fields, which date. */
  readonly date?: "created" | "updated"
}

const EQUALITY: ClauseOperator[] = ["=", "!=", "in", "not in", "is", "is not"]
const ORDERED: ClauseOperator[] = [...EQUALITY, "<", "<=", ">", ">="]

const FIELDS: Record<string, FieldSpec> = {
  project: { kind: "project", operators: new Set(EQUALITY) },
  status: { kind: "status", operators: new Set(EQUALITY) },
  statuscategory: { kind: "statusCategory", operators: new Set(EQUALITY) },
  assignee: { kind: "assignee", operators: new Set(EQUALITY) },
  priority: { kind: "priority", operators: new Set(ORDERED) },
  issuetype: { kind: "issuetype", operators: new Set(EQUALITY) },
  type: { kind: "issuetype", operators: new Set(EQUALITY) },
  key: { kind: "key", operators: new Set(ORDERED) },
  issuekey: { kind: "key", operators: new Set(ORDERED) },
  issue: { kind: "key", operators: new Set(ORDERED) },
  id: { kind: "key", operators: new Set(ORDERED) },
  created: { kind: "date", date: "created", operators: new Set(ORDERED) },
  createddate: { kind: "date", date: "created", operators: new Set(ORDERED) },
  updated: { kind: "date", date: "updated", operators: new Set(ORDERED) },
  updateddate: { kind: "date", date: "updated", operators: new Set(ORDERED) },
  text: { kind: "text", operators: new Set(["~", "!~"]) },
  summary: { kind: "summary", operators: new Set(["~", "!~", "is", "is not"]) }
}

const unknownField = (name: string): string =>
  `Field '${name}' does not exist or you do not have permission to view it.`

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

/** The value a field has on an issue, as the string the JQL value resolves to, or null when empty. */
type Getter = (issue: SimIssue) => string | null

class Compiler {
  readonly errors: string[] = []

  constructor(private readonly ctx: EvaluationContext) {}

  private visible(project: SimProject | undefined): project is SimProject {
    return project !== undefined && (this.ctx.visibleProjects === null || this.ctx.visibleProjects.has(project.key))
  }

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
    }
  }

  private compileTerminal(field: FieldRef, operator: ClauseOperator, operand: Operand): Predicate {
    const spec = FIELDS[field.name.toLowerCase()]
    if (spec === undefined) {
      this.errors.push(unknownField(field.name))
      return noneMatch
    }
    if (!this.checkOperandShape(field.name, operator, operand)) return noneMatch
    if (!spec.operators.has(operator)) {
      this.errors.push(`The operator '${operator}' is not supported by the '${field.name}' field.`)
      return noneMatch
    }
    switch (spec.kind) {
      case "text":
      case "summary":
        return this.compileText(field.name, operator, operand)
      case "date":
        return this.compileDate(field.name, spec.date === "created" ? "created" : "updated", operator, operand)
      default:
        return this.compileValueField(field.name, spec.kind, operator, operand)
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

  private compileText(field: string, operator: ClauseOperator, operand: Operand): Predicate {
    if (operator === "is" || operator === "is not") {
      // Every issue has a summary.
      return operator === "is" ? noneMatch : () => true
    }
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
    const match: Predicate = (issue) => matchesText(docOf(issue), query.terms)
    return operator === "~" ? match : (issue) => !match(issue)
  }

  private compileDate(
    field: string,
    which: "created" | "updated",
    operator: ClauseOperator,
    operand: Operand
  ): Predicate {
    if (operator === "is") return noneMatch
    if (operator === "is not") return () => true
    const items = operand.type === "list" ? operand.items : [operand]
    const values: number[] = []
    for (const item of items) {
      const value = this.dateValue(field, item)
      if (value !== null) values.push(value)
    }
    if (values.length !== items.length) return noneMatch
    const first = values[0] ?? 0
    const get = (issue: SimIssue): number => issue[which]
    switch (operator) {
      case "=":
        return (issue) => toMinute(get(issue)) === toMinute(first)
      case "!=":
        return (issue) => toMinute(get(issue)) !== toMinute(first)
      case "<":
        return (issue) => get(issue) < first
      case "<=":
        return (issue) => get(issue) <= first
      case ">":
        return (issue) => get(issue) > first
      case ">=":
        return (issue) => get(issue) >= first
      case "in": {
        const set = new Set(values.map(toMinute))
        return (issue) => set.has(toMinute(get(issue)))
      }
      case "not in": {
        const set = new Set(values.map(toMinute))
        return (issue) => !set.has(toMinute(get(issue)))
      }
      default:
        return noneMatch
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

  /** Resolves one operand to the field values it stands for; `null` in the result stands for EMPTY. */
  private resolve(field: string, kind: FieldKind, operand: SingleOperand): Array<string | null> | undefined {
    if (operand.type === "empty") return [null]
    if (operand.type === "function") {
      if (kind === "assignee" && operand.name.toLowerCase() === "currentuser") {
        if (operand.args.length > 0) {
          this.errors.push(`Function 'currentUser' expected '0' arguments but received '${operand.args.length}'.`)
          return undefined
        }
        return this.ctx.currentAccountId === null ? [] : [this.ctx.currentAccountId]
      }
      this.errors.push(`Unable to find JQL function '${operand.name}(${operand.args.join(", ")})'.`)
      return undefined
    }
    const raw = operand.value
    const lower = raw.toLowerCase()
    const { index } = this.ctx
    let found: string[] = []
    switch (kind) {
      case "project": {
        const byKey = index.projectsByKey.get(raw.toUpperCase())
        const byId = index.projectsById.get(raw)
        const candidates = [byKey, byId, ...(index.projectsByName.get(lower) ?? [])]
        found = candidates.filter((p) => this.visible(p)).map((p) => p.key)
        break
      }
      case "status": {
        const byId = index.statusesById.get(raw)
        found = [...(byId === undefined ? [] : [byId.id]), ...(index.statusesByName.get(lower) ?? []).map((s) => s.id)]
        break
      }
      case "statusCategory": {
        const category = index.categoriesByValue.get(lower)
        found = category === undefined ? [] : [category.key]
        break
      }
      case "assignee": {
        const byId = index.usersById.get(raw)
        const byEmail = index.usersByEmail.get(lower)
        found = [byId, byEmail, ...(index.usersByName.get(lower) ?? [])].flatMap((u) =>
          u === undefined ? [] : [u.accountId]
        )
        break
      }
      case "priority": {
        const priority = index.prioritiesById.get(raw) ?? index.prioritiesByName.get(lower)
        found = priority === undefined ? [] : [priority.id]
        break
      }
      case "issuetype": {
        const byId = index.issueTypesById.get(raw)
        found = [
          ...(byId === undefined ? [] : [byId.id]),
          ...(index.issueTypesByName.get(lower) ?? []).map((t) => t.id)
        ]
        break
      }
      case "key": {
        if (!/^\d+$/.test(raw) && !/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(raw)) {
          this.errors.push(`The issue key '${raw}' for field '${field}' is invalid.`)
          return undefined
        }
        const issue = /^\d+$/.test(raw) ? index.issuesById.get(raw) : index.issuesByKey.get(raw.toUpperCase())
        found =
          issue !== undefined && this.visible(index.projectsByKey.get(issue.projectKey.toUpperCase())) ? [issue.id] : []
        if (found.length === 0 && this.ctx.validateValues) {
          this.errors.push(`An issue with key '${raw}' does not exist for field '${field}'.`)
          return undefined
        }
        return found
      }
      default:
        return []
    }
    if (found.length === 0 && this.ctx.validateValues) {
      this.errors.push(`The value '${raw}' does not exist for the field '${field}'.`)
      return undefined
    }
    return [...new Set(found)]
  }

  private getter(kind: FieldKind): Getter {
    const { index } = this.ctx
    switch (kind) {
      case "project":
        return (issue) => issue.projectKey
      case "status":
        return (issue) => issue.statusId
      case "statusCategory":
        return (issue) => index.statusesById.get(issue.statusId)?.category ?? "undefined"
      case "assignee":
        return (issue) => issue.assigneeAccountId
      case "priority":
        return (issue) => issue.priorityId ?? null
      case "issuetype":
        return (issue) => issue.issueTypeId
      default:
        return (issue) => issue.id
    }
  }

  private compileValueField(field: string, kind: FieldKind, operator: ClauseOperator, operand: Operand): Predicate {
    const items = operand.type === "list" ? operand.items : [operand]
    const resolved: Array<string | null> = []
    let failed = false
    for (const item of items) {
      const values = this.resolve(field, kind, item)
      if (values === undefined) failed = true
      else resolved.push(...values)
    }
    if (failed) return noneMatch
    const get = this.getter(kind)
    const wantsEmpty = resolved.includes(null)
    const set = new Set(resolved.filter((v): v is string => v !== null))
    switch (operator) {
      case "=":
      case "in":
        return (issue) => {
          const value = get(issue)
          return value === null ? wantsEmpty : set.has(value)
        }
      // Like Jira, `!=` and `NOT IN` never match an empty field: `assignee != x` leaves out unassigned issues.
      case "!=":
      case "not in":
        return (issue) => {
          const value = get(issue)
          return value !== null && !set.has(value)
        }
      case "is":
        return (issue) => get(issue) === null
      case "is not":
        return (issue) => get(issue) !== null
      default:
        return this.compileOrdered(field, kind, operator, [...set], wantsEmpty)
    }
  }

  private compileOrdered(
    field: string,
    kind: FieldKind,
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
    const rankOf =
      kind === "priority"
        ? (id: string | null): number | null => (id === null ? null : (index.priorityRank.get(id) ?? null))
        : (id: string | null): number | null => {
            const issue = id === null ? undefined : index.issuesById.get(id)
            return issue === undefined ? null : issueNumber(issue)
          }
    const targetRank = rankOf(target)
    const targetProject = kind === "key" ? index.issuesById.get(target)?.projectKey : undefined
    if (targetRank === null) return noneMatch
    const compare = (rank: number): boolean => {
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
    if (kind === "key") return (issue) => issue.projectKey === targetProject && compare(issueNumber(issue))
    return (issue) => {
      const rank = rankOf(issue.priorityId ?? null)
      return rank !== null && compare(rank)
    }
  }
}

const issueNumber = (issue: SimIssue): number => Number(issue.key.slice(issue.key.lastIndexOf("-") + 1))

const SORTABLE: Record<string, string> = {
  key: "key",
  issuekey: "key",
  issue: "key",
  id: "key",
  created: "created",
  createddate: "created",
  updated: "updated",
  updateddate: "updated",
  priority: "priority",
  status: "status",
  statuscategory: "statusCategory",
  assignee: "assignee",
  summary: "summary",
  project: "project",
  issuetype: "issuetype",
  type: "issuetype"
}

const CATEGORY_ORDER: Record<string, number> = { undefined: 0, new: 1, indeterminate: 2, done: 3 }

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Empty values sort after every value ascending, and so first descending. */
const withEmpty = <T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number => {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  return compare(a, b)
}

const sortKeyComparator = (name: string, ctx: EvaluationContext): Comparator => {
  const { index } = ctx
  switch (name) {
    case "key":
      return (a, b) => compareText(a.projectKey, b.projectKey) || issueNumber(a) - issueNumber(b)
    case "created":
      return (a, b) => a.created - b.created
    case "updated":
      return (a, b) => a.updated - b.updated
    case "priority":
      return (a, b) =>
        withEmpty(
          index.priorityRank.get(a.priorityId ?? "") ?? null,
          index.priorityRank.get(b.priorityId ?? "") ?? null,
          (x, y) => x - y
        )
    case "status":
      return (a, b) => {
        const sa = index.statusesById.get(a.statusId)
        const sb = index.statusesById.get(b.statusId)
        return (
          (CATEGORY_ORDER[sa?.category ?? "undefined"] ?? 0) - (CATEGORY_ORDER[sb?.category ?? "undefined"] ?? 0) ||
          compareText(sa?.name ?? "", sb?.name ?? "")
        )
      }
    case "statusCategory":
      return (a, b) =>
        (CATEGORY_ORDER[index.statusesById.get(a.statusId)?.category ?? "undefined"] ?? 0) -
        (CATEGORY_ORDER[index.statusesById.get(b.statusId)?.category ?? "undefined"] ?? 0)
    case "assignee":
      return (a, b) =>
        withEmpty(
          a.assigneeAccountId === null
            ? null
            : (index.usersById.get(a.assigneeAccountId)?.displayName ?? a.assigneeAccountId),
          b.assigneeAccountId === null
            ? null
            : (index.usersById.get(b.assigneeAccountId)?.displayName ?? b.assigneeAccountId),
          (x, y) => x.localeCompare(y)
        )
    case "summary":
      return (a, b) => a.summary.localeCompare(b.summary)
    case "project":
      return (a, b) => compareText(a.projectKey, b.projectKey)
    default:
      return (a, b) =>
        compareText(
          index.issueTypesById.get(a.issueTypeId)?.name ?? "",
          index.issueTypesById.get(b.issueTypeId)?.name ?? ""
        )
  }
}

/** Newest first, by id: the tie-breaker after the ORDER BY fields. */
const byIdDesc: Comparator = (a, b) => Number(b.id) - Number(a.id)

const compileOrderBy = (fields: ReadonlyArray<SortField>, ctx: EvaluationContext, errors: string[]): Comparator => {
  if (fields.length > MAX_ORDER_BY_FIELDS) {
    errors.push(`The ORDER BY clause may contain at most ${MAX_ORDER_BY_FIELDS} fields.`)
    return byIdDesc
  }
  // Without ORDER BY the simulator returns newest first (`created DESC`), which is what Jira's issue navigator shows.
  if (fields.length === 0) return (a, b) => b.created - a.created || byIdDesc(a, b)
  const parts: Comparator[] = []
  for (const sort of fields) {
    const lower = sort.field.name.toLowerCase()
    const name = SORTABLE[lower]
    if (name === undefined) {
      errors.push(
        lower === "text" ? `Field '${sort.field.name}' does not support sorting.` : unknownField(sort.field.name)
      )
      continue
    }
    const compare = sortKeyComparator(name, ctx)
    parts.push(sort.direction === "desc" ? (a, b) => compare(b, a) : compare)
  }
  return (a, b) => {
    for (const part of parts) {
      const result = part(a, b)
      if (result !== 0) return result
    }
    return byIdDesc(a, b)
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
