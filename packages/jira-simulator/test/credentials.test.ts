import { describe, expect, it } from "vitest"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED } from "../src/demo.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import type { SimAccount } from "../src/types.ts"
import { get, json, post, TEST_NOW } from "./support/simulator.ts"

const REVOKED: SimAccount = { ...DEMO_ACCOUNT_RESTRICTED, apiToken: "revoked", revoked: true }
const EXPIRED: SimAccount = { ...DEMO_ACCOUNT_RESTRICTED, apiToken: "old", expiresAt: "2026-10-31T00:00:00.000Z" }
const sim = createJiraSimulator({ now: () => TEST_NOW, accounts: [DEMO_ACCOUNT, REVOKED, EXPIRED] })

const FAILED: ReadonlyArray<readonly [string, SimAccount | { header: string }]> = [
  ["a wrong token", { ...DEMO_ACCOUNT, apiToken: "wrong" }],
  ["a revoked token", REVOKED],
  ["an expired token", EXPIRED],
  ["an unknown email", { ...DEMO_ACCOUNT, email: "nobody@demo.test" }],
  ["a garbled header", { header: "Basic %%%" }]
]

const count = (jql: string, auth: SimAccount | { header: string }) =>
  post(sim, "/rest/api/3/search/approximate-count", { jql }, auth)
const searchAs = (jql: string, auth: SimAccount | { header: string } | "none") =>
  post(sim, "/rest/api/3/search/jql", { jql, fields: ["summary"] }, auth)

describe.each(FAILED)("a failed credential (%s) is served as anonymous", (_, auth) => {
  it("gets 401 from /myself, with Jira's plain-text body and header", async () => {
    const response = await get(sim, "/rest/api/3/myself", auth)
    expect(response.status).toBe(401)
    expect(await response.text()).toBe("Client must be authenticated to access this resource.")
    expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
  })

  it("gets 400 naming the project from a project-scoped search or count", async () => {
    for (const response of [await searchAs("project = DEMO", auth), await count("project = DEMO", auth)]) {
      expect(response.status).toBe(400)
      expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
      expect(await json(response)).toEqual({
        errorMessages: ["The value 'DEMO' does not exist for the field 'project'."],
        errors: {}
      })
    }
  })

  it("gets 400 for a field anonymous users cannot view", async () => {
    const response = await searchAs("sprint in openSprints()", auth)
    expect(response.status).toBe(400)
    expect(await json(response)).toEqual({
      errorMessages: ["Field 'sprint' does not exist or this field cannot be viewed by anonymous users."],
      errors: {}
    })
  })

  it("gets 200 and nothing from other searches and from project search, with the header", async () => {
    const search = await searchAs("statusCategory = done", auth)
    expect(search.status).toBe(200)
    expect(await json(search)).toEqual({ issues: [], isLast: true })
    const counted = await count("statusCategory = done", auth)
    expect(await json(counted)).toEqual({ count: 0 })
    const projects = await get(sim, "/rest/api/3/project/search?query=DEMO", auth)
    expect(projects.status).toBe(200)
    expect(projects.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
    expect(await json(projects)).toMatchObject({ total: 0, values: [] })
  })
})

describe("no credential at all", () => {
  it("is anonymous without the failure header", async () => {
    const response = await searchAs("statusCategory = done", "none")
    expect(response.status).toBe(200)
    expect(response.headers.get("x-seraph-loginreason")).toBeNull()
    const none = await get(sim, "/rest/api/3/project/search", "none")
    expect(none.headers.get("x-seraph-loginreason")).toBeNull()
  })
})
