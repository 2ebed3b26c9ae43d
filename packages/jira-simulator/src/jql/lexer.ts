import { JqlSyntaxError } from "./errors.ts"

type Operator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~"

export type Token =
  /** A value, field name or keyword; `quoted` is false for bare words, which may be keywords. */
  | {
      readonly kind: "string"
      readonly value: string
      readonly quoted: boolean
      readonly start: number
      readonly text: string
    }
  | { readonly kind: "operator"; readonly value: Operator; readonly start: number; readonly text: string }
  | { readonly kind: "lparen" | "rparen" | "comma"; readonly start: number; readonly text: string }
  /** The symbolic logical operators `&&` `&` `||` `|` `!`. */
  | { readonly kind: "and" | "or" | "not"; readonly start: number; readonly text: string }
  | { readonly kind: "eof"; readonly start: number; readonly text: "" }

const WHITESPACE = new Set([" ", "\t", "\n", "\r"])
/** Characters that end a bare word. */
const DELIMITERS = new Set(["(", ")", ",", "=", "!", "<", ">", "~", "&", "|", '"', "'"])
/** Characters Jira refuses outside quotes. */
const RESERVED = new Set(["{", "}", "[", "]", "%", "^", "$", "#", "?", ";", "*"])

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", n: "\n", r: "\r", t: "\t", " ": " " }

const VALID_ESCAPES = `The valid escape sequences are \\', \\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX.`

/** Reads the escape sequence at `source[at]` (the backslash); returns the character and the index after it. */
const readEscape = (source: string, at: number): { char: string; next: number } => {
  const code = source[at + 1]
  if (code === undefined)
    throw new JqlSyntaxError(`'\\' is an illegal JQL escape sequence. ${VALID_ESCAPES}`, source, at)
  const simple = ESCAPES[code]
  if (simple !== undefined) return { char: simple, next: at + 2 }
  if (code === "u") {
    const hex = source.slice(at + 2, at + 6)
    if (/^[0-9a-fA-F]{4}$/.test(hex)) return { char: String.fromCharCode(Number.parseInt(hex, 16)), next: at + 6 }
    throw new JqlSyntaxError(`'\\u${hex}' is an illegal JQL escape sequence. ${VALID_ESCAPES}`, source, at)
  }
  throw new JqlSyntaxError(`'\\${code}' is an illegal JQL escape sequence. ${VALID_ESCAPES}`, source, at)
}

const unicodeEscape = (char: string): string => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`

export const tokenize = (source: string): Token[] => {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const ch = source[i] ?? ""
    const start = i
    if (WHITESPACE.has(ch)) {
      i++
      continue
    }
    const two = source.slice(i, i + 2)
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma", start, text: ch })
      i++
    } else if (two === "!=" || two === "!~" || two === "<=" || two === ">=") {
      tokens.push({ kind: "operator", value: two, start, text: two })
      i += 2
    } else if (ch === "=" || ch === "<" || ch === ">" || ch === "~") {
      tokens.push({ kind: "operator", value: ch, start, text: ch })
      i++
    } else if (ch === "!") {
      tokens.push({ kind: "not", start, text: ch })
      i++
    } else if (ch === "&" || ch === "|") {
      const text = two === "&&" || two === "||" ? two : ch
      tokens.push({ kind: ch === "&" ? "and" : "or", start, text })
      i += text.length
    } else if (ch === '"' || ch === "'") {
      let value = ""
      i++
      for (;;) {
        const c = source[i]
        if (c === undefined || c === "\n" || c === "\r") {
          throw new JqlSyntaxError(
            `The quoted string '${source.slice(start + 1, i)}' has not been completed.`,
            source,
            start
          )
        }
        if (c === ch) {
          i++
          break
        }
        if (c === "\\") {
          const read = readEscape(source, i)
          value += read.char
          i = read.next
        } else {
          value += c
          i++
        }
      }
      tokens.push({ kind: "string", value, quoted: true, start, text: source.slice(start, i) })
    } else {
      let value = ""
      while (i < source.length) {
        const c = source[i] ?? ""
        if (WHITESPACE.has(c) || DELIMITERS.has(c)) break
        // Custom fields are named `cf[10010]`: the brackets are part of the name, not reserved characters.
        if (c === "[" && value.toLowerCase() === "cf") {
          const bracket = /^\[(\d+)\]/.exec(source.slice(i))
          if (bracket !== null) {
            value += bracket[0]
            i += bracket[0].length
            continue
          }
        }
        if (RESERVED.has(c)) {
          throw new JqlSyntaxError(
            `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '${unicodeEscape(c)}' instead.`,
            source,
            i
          )
        }
        if (c === "\\") {
          const read = readEscape(source, i)
          value += read.char
          i = read.next
        } else {
          value += c
          i++
        }
      }
      tokens.push({ kind: "string", value, quoted: false, start, text: source.slice(start, i) })
    }
  }
  tokens.push({ kind: "eof", start: source.length, text: "" })
  return tokens
}

/**
 * Quotes a value as a JQL double-quoted string: `\` first, then `"`, then control characters. The inverse of
 * the tokenizer for any string.
 */
export const quoteJql = (value: string): string => {
  let out = '"'
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === "\\") out += "\\\\"
    else if (ch === '"') out += '\\"'
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      out += unicodeEscape(ch)
    else out += ch
  }
  return `${out}"`
}
