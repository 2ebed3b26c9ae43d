import { describe, expect, it } from "vitest"
import { createDefaultDataset, generateDataset } from "../src/dataset.ts"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED, DEMO_SITE } from "../src/demo.ts"
import { createJiraSimulator } from "../src/simulator.ts"
import type { SimProject } from "../src/types.ts"
import { get, json, TEST_NOW } from "./support/simulator.ts"

const base = createDefaultDataset({ now: TEST_NOW })
/** 60 projects whose key contains `CORE`: a substring search cannot single out `CORE` in its first 50. */
const crowded: SimProject[] = Array.from({ length: 60 }, (_, n) => ({
  ...(base.projects[0] as SimProject),
  id: String(30000 + n),
  key: `A${String.fromCharCode(65 + Math.floor(n / 26))}${String.fromCharCode(65 + (n % 26))}CORE`,
  name: `Core team ${n}`
}))
const core: SimProject = { ...(base.projects[0] as SimProject), id: "39999", key: "CORE", name: "The core" }
const sim = createJiraSimulator({
  now: () => TEST_NOW,
  dataset: { ...base, projects: [...crowded, core, ...base.projects] }
})

type Page = { total: number; values: Array<{ key: string; id: string }> }

describe("exact project lookups", () => {
  it("shows why substring search fails on a crowded site", async () => {
    const page = (await json(await get(sim, "/rest/api/3/project/search?query=CORE&maxResults=50"))) as unknown as Page
    expect(page.total).toBe(61)
    expect(page.values.map((p) => p.key)).not.toContain("CORE")
  })

  it("finds the right project by keys=, exactly and in any case", async () => {
    const page = (await json(await get(sim, "/rest/api/3/project/search?keys=core"))) as unknown as Page
    expect(page.values.map((p) => p.key)).toEqual(["CORE"])
    const two = (await json(await get(sim, "/rest/api/3/project/search?keys=CORE&keys=DEMO"))) as unknown as Page
    expect(two.values.map((p) => p.key)).toEqual(["CORE", "DEMO"])
  })

  it("refuses more than 50 keys", async () => {
    const keys = Array.from({ length: 51 }, (_, n) => `keys=K${n}`).join("&")
    expect((await get(sim, `/rest/api/3/project/search?${keys}`)).status).toBe(400)
  })

  it("answers 404, as documented, when the search criteria match nothing", async () => {
    const response = await get(sim, "/rest/api/3/project/search?keys=NOPE")
    expect(response.status).toBe(404)
    expect((await json(response)).errorMessages).toEqual(["No projects matching the search criteria were found."])
  })

  it("gets one project by key or id with GET /project/{projectIdOrKey}", async () => {
    const byKey = await json(await get(sim, "/rest/api/3/project/CORE"))
    expect(byKey).toMatchObject({ id: "39999", key: "CORE", self: `${DEMO_SITE}/rest/api/3/project/39999` })
    expect(byKey.lead).toMatchObject({ accountId: expect.any(String) })
    expect(await json(await get(sim, "/rest/api/3/project/39999"))).toMatchObject({ key: "CORE" })
  })

  it("answers 404 with Jira's message for an unknown or hidden project", async () => {
    for (const [auth, key] of [
      [DEMO_ACCOUNT, "NOPE"],
      [DEMO_ACCOUNT_RESTRICTED, "WEB"]
    ] as const) {
      const response = await get(sim, `/rest/api/3/project/${key}`, auth)
      expect(response.status).toBe(404)
      expect(await json(response)).toEqual({
        errorMessages: [`No project could be found with key '${key}'.`],
        errors: {}
      })
    }
  })

  it("scales to generated sites", async () => {
    const big = createJiraSimulator({
      now: () => TEST_NOW,
      dataset: generateDataset({ projects: 200, issuesPerProject: 1 })
    })
    expect(await json(await get(big, "/rest/api/3/project/PGR"))).toMatchObject({ key: "PGR" })
  })
})
