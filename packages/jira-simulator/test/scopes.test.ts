import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { ROUTES } from "../src/routes.ts"
import { OPERATION_SCOPES } from "../src/scopes.ts"

/** The scope table is data copied from Atlassian's OpenAPI document: it must say what the document says. */

const subset: unknown = JSON.parse(
  readFileSync(new URL("../test-data/jira-openapi-subset.json", import.meta.url), "utf8")
)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** operationId -> the scope lists of its `x-atlassian-oauth2-scopes`, read from the subset. */
const documented = (): Map<string, string[][]> => {
  const out = new Map<string, string[][]>()
  const paths = isRecord(subset) && isRecord(subset.paths) ? subset.paths : {}
  for (const item of Object.values(paths)) {
    if (!isRecord(item)) continue
    for (const op of Object.values(item)) {
      if (!isRecord(op) || typeof op.operationId !== "string" || !Array.isArray(op["x-atlassian-oauth2-scopes"]))
        continue
      const sets = op["x-atlassian-oauth2-scopes"].flatMap((entry: unknown) =>
        isRecord(entry) && Array.isArray(entry.scopes) ? [entry.scopes.map(String)] : []
      )
      out.set(op.operationId, sets)
    }
  }
  return out
}

describe("OPERATION_SCOPES", () => {
  it("matches x-atlassian-oauth2-scopes of every operation in the OpenAPI subset", () => {
    const fromDocument = documented()
    expect(fromDocument.size).toBe(7)
    expect(new Map(Object.entries(OPERATION_SCOPES))).toEqual(fromDocument)
  })

  it("covers every operation the route table serves, and the classic scopes are there", () => {
    const served = ROUTES.flatMap((route) => Object.values(route.methods).map((m) => m.operationId))
    for (const operationId of served) if (operationId !== null) expect(OPERATION_SCOPES[operationId]).toBeDefined()
    expect(OPERATION_SCOPES.getCurrentUser[0]).toEqual(["read:jira-user"])
    expect(OPERATION_SCOPES.searchAndReconsileIssuesUsingJqlPost[0]).toEqual(["read:jira-work"])
  })
})
