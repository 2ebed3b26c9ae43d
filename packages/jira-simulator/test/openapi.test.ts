import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED } from "../src/demo.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import { createValidator, type SchemaObject } from "./support/openapi-validator.ts"
import { get, json, post, TEST_NOW } from "./support/simulator.ts"

/**
 * Checks the simulator's responses against the schemas of Atlassian's OpenAPI document
 * (test-data/jira-openapi-subset.json, made by scripts/extract-openapi.ts).
 *
 * Where the spec is wrong about real Jira Cloud, the correction is explicit here:
 * - `projectTypeKey` enums lack `product_discovery`, which real sites send: treated as an open string.
 * - `User.emailAddress` is not nullable, but `/myself` sends `null` when profile visibility hides it.
 * - `FieldValueClause.operator` lists `~=` (no such JQL operator) and lacks `!~`, which parse returns.
 * - `JqlQueryClause` puts `additionalProperties: false` beside `anyOf` with no `properties`: read literally
 *   it forbids every property; the validator leaves that check to the branches.
 * - `ParsedJqlQueries`, `ListOperand` and `JqlQueriesToParse` put `minLength` on arrays (meant `minItems`): ignored.
 * - `IssueBean.fields` is an open map: each field the simulator sends is checked against the narrower schemas.
 * And where its examples are wrong (see the last test): the search example has `"updated": 1` (real sites
 * send `2024-10-09T10:37:54.643+0800`), and the parse example answers `project = INVALID` with a warning
 * where strict validation reports an error.
 */

interface Subset {
  readonly source: string
  readonly info: { readonly version: string }
  readonly paths: Record<string, Record<string, Record<string, unknown>>>
  readonly components: { readonly schemas: Record<string, unknown> }
}

const subset = JSON.parse(
  readFileSync(new URL("../test-data/jira-openapi-subset.json", import.meta.url), "utf8")
) as Subset

const validator = createValidator(subset.components.schemas, {
  openEnums: ["Project.projectTypeKey", "ProjectDetails.projectTypeKey"],
  nullable: ["User.emailAddress"],
  extraEnumValues: { "FieldValueClause.operator": ["!~"] }
})

const operation = (operationId: string): Record<string, unknown> => {
  for (const item of Object.values(subset.paths)) {
    for (const op of Object.values(item)) if (op.operationId === operationId) return op
  }
  throw new Error(`no operation ${operationId}`)
}

const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    value
  )

const responseSchema = (operationId: string): SchemaObject => {
  const schema = at(operation(operationId), "responses", "200", "content", "application/json", "schema")
  if (typeof schema !== "object" || schema === null) throw new Error(`no 200 schema for ${operationId}`)
  return schema as SchemaObject
}

const requestSchema = (operationId: string): SchemaObject => {
  const schema = at(operation(operationId), "requestBody", "content", "application/json", "schema")
  if (typeof schema !== "object" || schema === null) throw new Error(`no request schema for ${operationId}`)
  return schema as SchemaObject
}

const expectValid = (value: unknown, schema: SchemaObject): void => {
  expect(validator.validate(value, schema)).toEqual([])
}

const sim = createJiraSimulator({ now: () => TEST_NOW })

/** No Priority schema is reachable from these operations; this is the shape Jira sends. */
const PRIORITY: SchemaObject = {
  type: "object",
  additionalProperties: false,
  required: ["self", "iconUrl", "name", "id"],
  properties: {
    self: { type: "string" },
    iconUrl: { type: "string" },
    name: { type: "string" },
    id: { type: "string" }
  }
}

const FIELD_SCHEMAS: Record<string, SchemaObject> = {
  summary: { type: "string" },
  status: { $ref: "#/components/schemas/StatusDetails" },
  assignee: { allOf: [{ $ref: "#/components/schemas/UserDetails" }], nullable: true },
  priority: { ...PRIORITY, nullable: true },
  issuetype: { $ref: "#/components/schemas/IssueTypeDetails" },
  project: { $ref: "#/components/schemas/ProjectDetails" },
  created: { type: "string" },
  updated: { type: "string" },
  // Not reachable from these operations' schemas either: the shapes Jira sends.
  resolution: {
    type: "object",
    nullable: true,
    additionalProperties: false,
    required: ["self", "id", "name"],
    properties: {
      self: { type: "string" },
      id: { type: "string" },
      description: { type: "string" },
      name: { type: "string" }
    }
  },
  resolutiondate: { type: "string", nullable: true },
  labels: { type: "array", items: { type: "string" } },
  components: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["self", "id", "name"],
      properties: { self: { type: "string" }, id: { type: "string" }, name: { type: "string" } }
    }
  },
  reporter: { allOf: [{ $ref: "#/components/schemas/UserDetails" }], nullable: true },
  parent: {
    type: "object",
    nullable: true,
    required: ["id", "key", "self", "fields"],
    properties: {
      id: { type: "string" },
      key: { type: "string" },
      self: { type: "string" },
      fields: { type: "object" }
    }
  },
  fixVersions: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["self", "id", "name", "archived", "released"],
      properties: {
        self: { type: "string" },
        id: { type: "string" },
        name: { type: "string" },
        archived: { type: "boolean" },
        released: { type: "boolean" }
      }
    }
  },
  description: { type: "object", nullable: true, required: ["type", "version", "content"] },
  customfield_10010: { type: "number", nullable: true },
  customfield_10020: {
    type: "array",
    nullable: true,
    items: {
      type: "object",
      additionalProperties: false,
      required: ["id", "name", "state", "boardId"],
      properties: {
        id: { type: "integer" },
        name: { type: "string" },
        state: { type: "string" },
        boardId: { type: "integer" }
      }
    }
  }
}

describe("the validator", () => {
  const user = validator.schema("User")

  it("accepts a conforming value and reports each kind of problem", () => {
    expectValid({ accountId: "a", active: true, avatarUrls: { "16x16": "https://x" } }, user)
    expect(validator.validate({ accountId: 5 }, user)).toEqual(["$.accountId: expected string, got integer"])
    expect(validator.validate({ colour: "red" }, user)).toEqual(["$.colour: property not allowed"])
    expect(validator.validate({ accountType: "robot" }, user)[0]).toMatch(/is not one of/)
    expect(validator.validate({ avatarUrls: { "64x64": "x" } }, user)).toEqual([
      "$.avatarUrls.64x64: property not allowed"
    ])
    expect(validator.validate({ queries: [{}] }, validator.schema("ParsedJqlQueries"))).toEqual([
      "$.queries[0]: missing required property query"
    ])
    expect(validator.validate({ displayName: null }, user)).toEqual(["$.displayName: null is not allowed"])
  })

  it("applies the overrides", () => {
    expectValid({ emailAddress: null }, user)
    expectValid({ projectTypeKey: "product_discovery" }, validator.schema("Project"))
    expect(validator.validate({ style: "modern" }, validator.schema("Project"))[0]).toMatch(/is not one of/)
  })

  it("needs one anyOf branch to match", () => {
    const clause = validator.schema("JqlQueryClause")
    expectValid({ operator: "and", clauses: [] }, clause)
    expect(validator.validate({ operator: "and" }, clause)[0]).toMatch(/matches none of anyOf/)
  })
})

describe("responses conform to Atlassian's schemas", () => {
  it("records where the subset comes from", () => {
    expect(subset.source).toContain("Jira Cloud platform REST API v3")
    expect(subset.source).toContain(subset.info.version)
  })

  it("getCurrentUser", async () => {
    const schema = responseSchema("getCurrentUser")
    for (const account of [DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED]) {
      const response = await get(sim, "/rest/api/3/myself", account)
      expectValid(await json(response), schema)
    }
  })

  it("searchAndReconsileIssuesUsingJqlPost, with every field of every issue", async () => {
    const schema = responseSchema("searchAndReconsileIssuesUsingJqlPost")
    const request = requestSchema("searchAndReconsileIssuesUsingJqlPost")
    let token: string | undefined
    let seen = 0
    const fieldsSeen = new Set<string>()
    for (;;) {
      const body = {
        jql: "project IS NOT EMPTY ORDER BY key",
        fields: ["*all"],
        maxResults: 100,
        ...(token ? { nextPageToken: token } : {})
      }
      expectValid(body, request)
      const page = await json(await post(sim, "/rest/api/3/search/jql", body))
      expectValid(page, schema)
      for (const issue of page.issues as Array<{ fields: Record<string, unknown> }>) {
        seen++
        for (const [name, value] of Object.entries(issue.fields)) {
          const fieldSchema = FIELD_SCHEMAS[name]
          expect(fieldSchema, name).toBeDefined()
          if (fieldSchema !== undefined) expect(validator.validate(value, fieldSchema), name).toEqual([])
          fieldsSeen.add(name)
        }
        expect(issue.fields.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/)
      }
      if (page.isLast === true) break
      token = page.nextPageToken as string
    }
    expect(seen).toBe(sim.data.issues.length)
    expect([...fieldsSeen].sort()).toEqual(Object.keys(FIELD_SCHEMAS).sort())
    expectValid(await json(await post(sim, "/rest/api/3/search/jql", { jql: "project = DEMO" })), schema)
    expectValid(await json(await post(sim, "/rest/api/3/search/jql", { jql: "status = Done" }, "none")), schema)
  })

  it("countIssues", async () => {
    const body = { jql: "statusCategory = done" }
    expectValid(body, requestSchema("countIssues"))
    expectValid(
      await json(await post(sim, "/rest/api/3/search/approximate-count", body)),
      responseSchema("countIssues")
    )
  })

  it("searchProjects, with and without expansions", async () => {
    const schema = responseSchema("searchProjects")
    for (const query of [
      "",
      "?expand=lead",
      "?expand=lead,description,insight&maxResults=3&startAt=2",
      "?keys=DEMO&keys=WEB"
    ]) {
      expectValid(await json(await get(sim, `/rest/api/3/project/search${query}`)), schema)
    }
    expectValid(await json(await get(sim, "/rest/api/3/project/search?query=zzz", "none")), schema)
    // Documented: 404 when nothing matches the search criteria.
    const none = await get(sim, "/rest/api/3/project/search?query=zzz")
    expect(none.status).toBe(404)
    expectValid(await json(none), validator.schema("ErrorCollection"))
  })

  it("getProject, by key and by id", async () => {
    const schema = responseSchema("getProject")
    for (const idOrKey of ["DEMO", "10005", "idea"]) {
      const response = await get(sim, `/rest/api/3/project/${idOrKey}`)
      expect(response.status).toBe(200)
      expectValid(await json(response), schema)
    }
    const missing = await get(sim, "/rest/api/3/project/NOPE")
    expect(missing.status).toBe(404)
    expectValid(await json(missing), validator.schema("ErrorCollection"))
  })

  it("parseJqlQueries, for valid and invalid queries", async () => {
    const body = {
      queries: [
        'project = DEMO AND (status in (Done, "In Progress") OR assignee IS EMPTY) AND NOT priority = High ORDER BY updated DESC, key',
        "assignee in (currentUser(), EMPTY) AND updated >= startOfMonth(-1M) AND text ~ 'login' AND summary !~ x",
        "ORDER BY key",
        "invalid query",
        "project = INVALID",
        "universe = 42"
      ]
    }
    expectValid(body, requestSchema("parseJqlQueries"))
    for (const validation of ["strict", "warn", "none"]) {
      const response = await post(sim, `/rest/api/3/jql/parse?validation=${validation}`, body)
      expectValid(await json(response), responseSchema("parseJqlQueries"))
    }
  })

  it("error bodies are ErrorCollections", async () => {
    const errorCollection = validator.schema("ErrorCollection")
    const responses = [
      await post(sim, "/rest/api/3/search/jql", { jql: "project = NOPE" }),
      await post(sim, "/rest/api/3/search/approximate-count", { jql: "" }),
      await post(sim, "/rest/api/3/jql/parse?validation=strict", { queries: [] }),
      await get(sim, "/rest/api/3/search")
    ]
    for (const response of responses) expectValid(await json(response), errorCollection)
  })
})

describe("the spec's examples", () => {
  it("are wrong where the README says they are", () => {
    const searchExample = JSON.parse(
      String(
        at(
          operation("searchAndReconsileIssuesUsingJqlPost"),
          "responses",
          "200",
          "content",
          "application/json",
          "example"
        )
      )
    )
    expect(at(searchExample, "issues", "0", "fields", "updated")).toBe(1)
    const parseExample = JSON.parse(
      String(at(operation("parseJqlQueries"), "responses", "200", "content", "application/json", "example"))
    )
    const invalid = (parseExample.queries as Array<Record<string, unknown>>).find(
      (q) => q.query === "project = INVALID"
    )
    expect(invalid?.warnings).toEqual(["The value 'INVALID' does not exist for the field 'project'."])
  })
})
