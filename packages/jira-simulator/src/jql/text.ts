/**
 * A small model of Jira's text search (`summary ~ "..."`): case-insensitive words, every term must match,
 * light English stemming, `*` and `?` wildcards (never leading), `"quoted phrases"`, and CJK per character.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const WORD = /[\p{L}\p{N}\p{M}_]+/gu

const splitCjk = (word: string): string[] => {
  if (!CJK.test(word)) return [word]
  const out: string[] = []
  let run = ""
  for (const ch of word) {
    if (CJK.test(ch)) {
      if (run.length > 0) out.push(run)
      run = ""
      out.push(ch)
    } else run += ch
  }
  if (run.length > 0) out.push(run)
  return out
}

const textWords = (text: string): string[] =>
  [...text.normalize("NFC").toLowerCase().matchAll(WORD)].flatMap((match) => splitCjk(match[0]))

const stem = (word: string): string => {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1)
  return word
}

type Term =
  | { readonly kind: "word"; readonly stem: string }
  | { readonly kind: "wildcard"; readonly pattern: RegExp }
  | { readonly kind: "phrase"; readonly words: ReadonlyArray<string> }

export type TextQuery =
  | { readonly ok: true; readonly terms: ReadonlyArray<Term> }
  | { readonly ok: false; readonly error: string }

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

export const compileTextQuery = (query: string, field: string): TextQuery => {
  const terms: Term[] = []
  const phrases = /"([^"]*)"/g
  const rest = query.replace(phrases, (_, phrase: string) => {
    const words = textWords(phrase)
    if (words.length > 0) terms.push({ kind: "phrase", words })
    return " "
  })
  for (const raw of rest.split(/\s+/)) {
    if (raw.length === 0) continue
    if (raw.startsWith("*") || raw.startsWith("?")) {
      return {
        ok: false,
        error: `The text query '${query}' for field '${field}' is not allowed to start with a wildcard.`
      }
    }
    if (/[*?]/.test(raw)) {
      const source = raw
        .toLowerCase()
        .split(/([*?])/)
        .map((part) =>
          part === "*" ? "[\\p{L}\\p{N}\\p{M}_]*" : part === "?" ? "[\\p{L}\\p{N}\\p{M}_]" : escapeRegExp(part)
        )
        .join("")
      terms.push({ kind: "wildcard", pattern: new RegExp(`^${source}$`, "u") })
      continue
    }
    for (const word of textWords(raw)) terms.push({ kind: "word", stem: stem(word) })
  }
  return { ok: true, terms }
}

/** Words of a document, prepared once per issue. */
export interface TextDocument {
  readonly words: ReadonlyArray<string>
  readonly stems: ReadonlySet<string>
}

export const textDocument = (text: string): TextDocument => {
  const words = textWords(text)
  return { words, stems: new Set(words.map(stem)) }
}

const hasPhrase = (doc: TextDocument, phrase: ReadonlyArray<string>): boolean => {
  outer: for (let i = 0; i + phrase.length <= doc.words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (stem(doc.words[i + j] ?? "") !== stem(phrase[j] ?? "")) continue outer
    return true
  }
  return false
}

/** An empty query matches nothing, like Jira's. */
export const matchesText = (doc: TextDocument, terms: ReadonlyArray<Term>): boolean =>
  terms.length > 0 &&
  terms.every((term) => {
    if (term.kind === "word") return doc.stems.has(term.stem)
    if (term.kind === "wildcard") return doc.words.some((word) => term.pattern.test(word))
    return hasPhrase(doc, term.words)
  })
