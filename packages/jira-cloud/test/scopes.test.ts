import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { CLASSIC_SCOPES, GRANULAR_SCOPES, OPERATION_SCOPES } from "../src/scopes.ts"

interface Extract {
  readonly operations: ReadonlyArray<{
    readonly method: string
    readonly path: string
    readonly operationId: string
    readonly "x-atlassian-oauth2-scopes": ReadonlyArray<{
      readonly scopes: ReadonlyArray<string>
      readonly state: string
    }>
  }>
}

// Atlassian's OpenAPI document, cut down to the operations the adapter calls (its source is noted inside).
const extract: Extract = JSON.parse(
  readFileSync(new URL("../test-data/jira-openapi-scopes.json", import.meta.url), "utf8")
)

describe("scopes", () => {
  it("match x-atlassian-oauth2-scopes of every operation the adapter calls", () => {
    const derived = Object.fromEntries(
      extract.operations.map((operation) => {
        const sets = operation["x-atlassian-oauth2-scopes"]
        return [
          `${operation.method} ${operation.path}`,
          {
            operationId: operation.operationId,
            classic: sets.find((set) => set.state === "Current")?.scopes ?? [],
            granular: sets.find((set) => set.state !== "Current")?.scopes ?? []
          }
        ]
      })
    )
    const ours = Object.fromEntries(
      Object.entries(OPERATION_SCOPES).map(([endpoint, { operationId, classic, granular }]) => [
        endpoint,
        { operationId, classic, granular }
      ])
    )
    expect(ours).toEqual(derived)
  })

  it("need read:jira-work and read:jira-user as classic scopes, and the granular union", () => {
    expect(CLASSIC_SCOPES).toEqual(["read:jira-user", "read:jira-work"])
    expect(GRANULAR_SCOPES).toContain("read:jql:jira")
    expect(GRANULAR_SCOPES).toContain("read:project:jira")
    expect(GRANULAR_SCOPES).toContain("read:user:jira")
    expect(new Set(GRANULAR_SCOPES).size).toBe(GRANULAR_SCOPES.length)
  })

  it("are all named in the repository's README and this package's README", () => {
    for (const readme of ["../../../README.md", "../README.md"]) {
      const text = readFileSync(new URL(readme, import.meta.url), "utf8")
      for (const scope of [...CLASSIC_SCOPES, ...GRANULAR_SCOPES]) expect(text, readme).toContain(`\`${scope}\``)
    }
  })
})
