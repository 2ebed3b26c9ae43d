/** A JQL syntax error at a position, with Jira's wording (`Error in the JQL Query: ... (line 1, character 9)`). */
export class JqlSyntaxError extends Error {
  readonly detail: string
  readonly offset: number

  constructor(detail: string, source: string, offset: number) {
    const { line, character } = lineAndCharacter(source, offset)
    super(`Error in the JQL Query: ${detail} (line ${line}, character ${character})`)
    this.name = "JqlSyntaxError"
    this.detail = detail
    this.offset = offset
  }
}

/** An error that Jira reports without a position, e.g. at the end of the query. */
export class JqlEndError extends Error {
  constructor(detail: string) {
    super(`Error in the JQL Query: ${detail}`)
    this.name = "JqlEndError"
  }
}

const lineAndCharacter = (source: string, offset: number): { line: number; character: number } => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === "\n") {
      line++
      lineStart = i + 1
    }
  }
  return { line, character: offset - lineStart + 1 }
}
