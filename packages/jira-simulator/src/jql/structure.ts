import { quoteJql } from "./lexer.ts"
import type { Clause, FieldRef, Operand, Query, SingleOperand } from "./parser.ts"

/** The `structure` of a parsed query in `POST /jql/parse`, shaped like Jira's JqlQuery schema. */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Bare when JQL would read it back unchanged, quoted otherwise. */
const encode = (value: string): string =>
  /^[\p{L}\p{N}_.\-@/:+]+$/u.test(value) && !/^(and|or|not|in|is|empty|null|order|by|asc|desc)$/i.test(value)
    ? value
    : quoteJql(value)

const field = (ref: FieldRef): Json => ({ name: ref.name, encodedName: encode(ref.name) })

const single = (operand: SingleOperand): Json => {
  switch (operand.type) {
    case "value":
      return { value: operand.value, encodedValue: encode(operand.value) }
    case "empty":
      return { keyword: "empty" }
    case "function":
      return {
        function: operand.name,
        arguments: [...operand.args],
        encodedOperand: `${operand.name}(${operand.args.map(encode).join(", ")})`
      }
  }
}

const encodedSingle = (operand: SingleOperand): string => {
  switch (operand.type) {
    case "value":
      return encode(operand.value)
    case "empty":
      return "EMPTY"
    case "function":
      return `${operand.name}(${operand.args.map(encode).join(", ")})`
  }
}

const operandJson = (operand: Operand): Json =>
  operand.type === "list"
    ? { values: operand.items.map(single), encodedOperand: `(${operand.items.map(encodedSingle).join(", ")})` }
    : single(operand)

const clauseJson = (clause: Clause): Json => {
  switch (clause.type) {
    case "and":
    case "or":
      return { operator: clause.type, clauses: clause.clauses.map(clauseJson) }
    case "not":
      return { operator: "not", clauses: [clauseJson(clause.clause)] }
    case "terminal":
      return { field: field(clause.field), operator: clause.operator, operand: operandJson(clause.operand) }
    case "history":
      return {
        field: field(clause.field),
        operator: clause.operator,
        ...(clause.operand === null ? {} : { operand: operandJson(clause.operand) }),
        predicates: clause.predicates.map((p) => ({ operator: p.kind, operand: operandJson(p.operand) }))
      }
  }
}

export const queryStructure = (query: Query): Json => {
  const out: { [key: string]: Json } = {}
  if (query.where !== null) out.where = clauseJson(query.where)
  if (query.orderBy.length > 0) {
    out.orderBy = {
      fields: query.orderBy.map((sort) =>
        sort.direction === null ? { field: field(sort.field) } : { field: field(sort.field), direction: sort.direction }
      )
    }
  }
  return out
}
