import { JqlEndError, JqlSyntaxError } from "./errors.ts"
import { type Token, tokenize } from "./lexer.ts"

export type ClauseOperator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~" | "in" | "not in" | "is" | "is not"

export interface FieldRef {
  readonly name: string
  readonly quoted: boolean
  readonly start: number
}

export type SingleOperand =
  | { readonly type: "value"; readonly value: string; readonly quoted: boolean }
  | { readonly type: "empty"; readonly keyword: string }
  | { readonly type: "function"; readonly name: string; readonly args: ReadonlyArray<string> }

export type Operand = SingleOperand | { readonly type: "list"; readonly items: ReadonlyArray<SingleOperand> }

export type HistoryOperator = "was" | "was not" | "was in" | "was not in" | "changed"

/** `AFTER -7d`, `FROM "To Do"`, `DURING ("2026-01-01", "2026-02-01")`, ... after WAS or CHANGED. */
export interface HistoryPredicate {
  readonly kind: "after" | "before" | "on" | "during" | "from" | "to" | "by"
  readonly operand: Operand
}

export type Clause =
  | { readonly type: "and" | "or"; readonly clauses: ReadonlyArray<Clause> }
  | {
      readonly type: "history"
      readonly field: FieldRef
      readonly operator: HistoryOperator
      /** Absent for CHANGED. */
      readonly operand: Operand | null
      readonly predicates: ReadonlyArray<HistoryPredicate>
    }
  | { readonly type: "not"; readonly clause: Clause }
  | {
      readonly type: "terminal"
      readonly field: FieldRef
      readonly operator: ClauseOperator
      readonly operand: Operand
    }

export interface SortField {
  readonly field: FieldRef
  readonly direction: "asc" | "desc" | null
}

export interface Query {
  readonly where: Clause | null
  readonly orderBy: ReadonlyArray<SortField>
}

const VALID_OPERATORS = `The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`

/** Jira's reserved words: bare, they are refused as field names and values. */
const RESERVED_WORDS = new Set(
  (
    "abort access add after alias all alter and any are as asc at audit avg before begin between boolean break by " +
    "byte catch cf char character check checkpoint collate collation column commit connect continue count create current " +
    "date decimal declare decrement default defaults define delete delimiter desc difference distinct divide do double drop " +
    "else empty encoding end equals escape exclusive exec execute exists explain false fetch file field first float for from " +
    "function go goto grant greater group having identified if immediate in increment index initial inner inout input " +
    "insert int integer intersect intersection into is isempty isnull join last left less like limit lock long max min " +
    "minus mode modify modulo more multiply next noaudit not notin nowait null number object of on option or order outer " +
    "output power previous prior privileges public raise raw remainder rename resource return returns revoke right row " +
    "rowid rownum rows select session set share size sqrt start strict string subtract sum synonym table then to trans " +
    "transaction trigger true uid union unique update user validate values view when whenever where while with"
  ).split(" ")
)

/** Words that always have their keyword meaning when bare. */
const KEYWORDS = new Set(["and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"])

const PREDICATES: ReadonlySet<string> = new Set(["after", "before", "on", "during", "from", "to", "by"])

const isPredicate = (word: string): word is HistoryPredicate["kind"] => PREDICATES.has(word)

const isWord = (token: Token, word: string): boolean =>
  token.kind === "string" && !token.quoted && token.value.toLowerCase() === word

const shown = (token: Token): string => token.text

class Parser {
  private index = 0
  private readonly tokens: Token[]

  constructor(private readonly source: string) {
    this.tokens = tokenize(source)
  }

  private peek(offset = 0): Token {
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]
    if (token === undefined) throw new Error("no tokens")
    return token
  }

  private advance(): Token {
    const token = this.peek()
    if (token.kind !== "eof") this.index++
    return token
  }

  private fail(token: Token, detail: string, atEnd: string): never {
    if (token.kind === "eof") throw new JqlEndError(atEnd)
    throw new JqlSyntaxError(detail, this.source, token.start)
  }

  private checkReserved(token: Token): void {
    if (token.kind === "string" && !token.quoted && RESERVED_WORDS.has(token.value.toLowerCase())) {
      throw new JqlSyntaxError(
        `'${token.value}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`,
        this.source,
        token.start
      )
    }
  }

  parseQuery(): Query {
    let where: Clause | null = null
    if (this.peek().kind !== "eof" && !isWord(this.peek(), "order")) where = this.parseOr()
    const orderBy: SortField[] = []
    const next = this.peek()
    if (isWord(next, "order")) {
      this.advance()
      const by = this.peek()
      if (!isWord(by, "by"))
        this.fail(by, `Expecting 'BY' but got '${shown(by)}'.`, "Expecting 'BY' before the end of the query.")
      this.advance()
      orderBy.push(this.parseSortField())
      while (this.peek().kind === "comma") {
        this.advance()
        orderBy.push(this.parseSortField())
      }
      const end = this.peek()
      if (end.kind !== "eof") {
        throw new JqlSyntaxError(
          `Expecting either ',' or the end of the query but got '${shown(end)}'.`,
          this.source,
          end.start
        )
      }
    } else if (next.kind !== "eof") {
      throw new JqlSyntaxError(`Expecting either 'OR' or 'AND' but got '${shown(next)}'.`, this.source, next.start)
    }
    return { where, orderBy }
  }

  private parseSortField(): SortField {
    const field = this.parseField()
    const next = this.peek()
    if (isWord(next, "asc") || isWord(next, "desc")) {
      this.advance()
      return { field, direction: next.kind === "string" && next.value.toLowerCase() === "asc" ? "asc" : "desc" }
    }
    if (next.kind !== "eof" && next.kind !== "comma") {
      throw new JqlSyntaxError(`Expecting either 'ASC' or 'DESC' but got '${shown(next)}'.`, this.source, next.start)
    }
    return { field, direction: null }
  }

  private parseOr(): Clause {
    const clauses = [this.parseAnd()]
    while (this.peek().kind === "or" || isWord(this.peek(), "or")) {
      this.advance()
      clauses.push(this.parseAnd())
    }
    return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { type: "or", clauses }
  }

  private parseAnd(): Clause {
    const clauses = [this.parseNot()]
    while (this.peek().kind === "and" || isWord(this.peek(), "and")) {
      this.advance()
      clauses.push(this.parseNot())
    }
    return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { type: "and", clauses }
  }

  private parseNot(): Clause {
    const token = this.peek()
    if (token.kind === "not" || isWord(token, "not")) {
      this.advance()
      return { type: "not", clause: this.parseNot() }
    }
    if (token.kind === "lparen") {
      this.advance()
      const inner = this.parseOr()
      const close = this.peek()
      if (close.kind !== "rparen") {
        this.fail(close, `Expecting ')' but got '${shown(close)}'.`, "Expecting ')' before the end of the query.")
      }
      this.advance()
      return inner
    }
    return this.parseTerminal()
  }

  private parseField(): FieldRef {
    const token = this.peek()
    if (token.kind !== "string" || (!token.quoted && KEYWORDS.has(token.value.toLowerCase()))) {
      this.fail(
        token,
        `Expecting a field name but got '${shown(token)}'. You must surround '${shown(token)}' in quotation marks to use it as a field name.`,
        "Expecting a field name at the end of the query."
      )
    }
    this.checkReserved(token)
    this.advance()
    return { name: token.value, quoted: token.quoted, start: token.start }
  }

  private parseTerminal(): Clause {
    const field = this.parseField()
    const history = this.parseHistoryOperator()
    if (history !== null) {
      const operand = history === "changed" ? null : this.parseOperand()
      return { type: "history", field, operator: history, operand, predicates: this.parsePredicates() }
    }
    const operator = this.parseOperator()
    const operand = this.parseOperand()
    return { type: "terminal", field, operator, operand }
  }

  private parseHistoryOperator(): HistoryOperator | null {
    const token = this.peek()
    if (isWord(token, "changed")) {
      this.advance()
      return "changed"
    }
    if (!isWord(token, "was")) return null
    this.advance()
    let not = false
    if (this.peek().kind === "not" || isWord(this.peek(), "not")) {
      this.advance()
      not = true
    }
    if (isWord(this.peek(), "in")) {
      this.advance()
      return not ? "was not in" : "was in"
    }
    return not ? "was not" : "was"
  }

  private parsePredicates(): HistoryPredicate[] {
    const predicates: HistoryPredicate[] = []
    for (;;) {
      const token = this.peek()
      const word = token.kind === "string" && !token.quoted ? token.value.toLowerCase() : ""
      if (!isPredicate(word)) return predicates
      this.advance()
      predicates.push({ kind: word, operand: this.parseOperand() })
    }
  }

  private parseOperator(): ClauseOperator {
    const token = this.peek()
    if (token.kind === "operator") {
      this.advance()
      return token.value
    }
    if (isWord(token, "in")) {
      this.advance()
      return "in"
    }
    if ((token.kind === "not" || isWord(token, "not")) && isWord(this.peek(1), "in")) {
      this.advance()
      this.advance()
      return "not in"
    }
    if (isWord(token, "is")) {
      this.advance()
      const not = this.peek()
      if (not.kind === "not" || isWord(not, "not")) {
        this.advance()
        return "is not"
      }
      return "is"
    }
    return this.fail(
      token,
      `Expecting operator but got '${shown(token)}'. ${VALID_OPERATORS}`,
      `Expecting operator before the end of the query. ${VALID_OPERATORS}`
    )
  }

  private parseOperand(): Operand {
    const token = this.peek()
    if (token.kind === "lparen") {
      this.advance()
      const items = [this.parseSingleOperand()]
      while (this.peek().kind === "comma") {
        this.advance()
        items.push(this.parseSingleOperand())
      }
      const close = this.peek()
      if (close.kind !== "rparen") {
        this.fail(close, `Expecting ')' but got '${shown(close)}'.`, "Expecting ')' before the end of the query.")
      }
      this.advance()
      return { type: "list", items }
    }
    return this.parseSingleOperand()
  }

  private parseSingleOperand(): SingleOperand {
    const token = this.peek()
    if (token.kind === "string") {
      const lower = token.value.toLowerCase()
      if (!token.quoted && (lower === "empty" || lower === "null")) {
        this.advance()
        return { type: "empty", keyword: token.value }
      }
      if (!token.quoted && this.peek(1).kind === "lparen") return this.parseFunction()
      if (token.quoted || !KEYWORDS.has(lower)) {
        this.checkReserved(token)
        this.advance()
        return { type: "value", value: token.value, quoted: token.quoted }
      }
    }
    return this.fail(
      token,
      `Expecting either a value, list or function but got '${shown(token)}'. You must surround '${shown(token)}' in quotation marks to use it as a value.`,
      "Expecting either a value, list or function before the end of the query."
    )
  }

  private parseFunction(): SingleOperand {
    const name = this.advance()
    this.advance()
    const args: string[] = []
    if (this.peek().kind !== "rparen") {
      for (;;) {
        const arg = this.peek()
        if (arg.kind !== "string") {
          this.fail(
            arg,
            `Expecting a function argument but got '${shown(arg)}'.`,
            "Expecting a function argument before the end of the query."
          )
        }
        this.advance()
        args.push(arg.value)
        if (this.peek().kind !== "comma") break
        this.advance()
      }
    }
    const close = this.peek()
    if (close.kind !== "rparen") {
      this.fail(close, `Expecting ')' but got '${shown(close)}'.`, "Expecting ')' before the end of the query.")
    }
    this.advance()
    return { type: "function", name: name.kind === "string" ? name.value : name.text, args }
  }
}

/** Parses JQL; throws `JqlSyntaxError` or `JqlEndError` with Jira's wording. */
export const parseJql = (source: string): Query => new Parser(source).parseQuery()
