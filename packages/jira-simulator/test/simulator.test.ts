import { beforeEach, describe, expect, it } from "vitest"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED, DEMO_SITE } from "../src/demo.ts"
import { createJiraSimulator, type JiraSimulator } from "../src/simulator.ts"
import { get, json, post, search, TEST_NOW } from "./support/simulator.ts"

const JIRA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/
const WRONG_TOKEN = { ...DEMO_ACCOUNT, apiToken: "wrong" }

let sim: JiraSimulator
beforeEach(() => {
  sim = createJiraSimulator({ now: () => TEST_NOW })
})

describe("GET /myself", () => {
  it("returns the signed-in account", async () => {
    const response = await get(sim, "/rest/api/3/myself")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8")
    const body = await json(response)
    expect(body).toMatchObject({
      self: `${DEMO_SITE}/rest/api/3/user?accountId=${encodeURIComponent(DEMO_ACCOUNT.accountId)}`,
      accountId: DEMO_ACCOUNT.accountId,
      accountType: "atlassian",
      emailAddress: "jira-bot@demo.test",
      displayName: "Demo Bot",
      active: true,
      timeZone: "Asia/Singapore"
    })
    expect(Object.keys(body.avatarUrls as object)).toEqual(["48x48", "32x32", "24x24", "16x16"])
  })

  it("shows a hidden email as null", async () => {
    const body = await json(await get(sim, "/rest/api/3/myself", DEMO_ACCOUNT_RESTRICTED))
    expect(body.emailAddress).toBeNull()
    expect(body.displayName).toBe("Anna Schmidt")
  })

  it("leaves the email out when the account is configured without one", async () => {
    const account = { email: "x@demo.test", apiToken: "t", accountId: "acc-1", displayName: "X" }
    const custom = createJiraSimulator({ now: () => TEST_NOW, accounts: [account] })
    const body = await json(await get(custom, "/rest/api/3/myself", account))
    expect("emailAddress" in body).toBe(false)
  })

  it.each([
    ["no credentials", "none" as const],
    ["a wrong token", WRONG_TOKEN],
    ["an unknown email", { ...DEMO_ACCOUNT, email: "someone@else.test" }],
    ["a bearer token", { header: "Bearer demo-jira-token" }],
    ["garbage", { header: "Basic !!!" }]
  ])("answers %s with Jira's plain-text 401", async (_, auth) => {
    const response = await get(sim, "/rest/api/3/myself", auth)
    expect(response.status).toBe(401)
    expect(response.headers.get("x-seraph-loginreason")).toBe("AUTHENTICATED_FAILED")
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/)
    expect(await response.text()).toBe("Client must be authenticated to access this resource.")
  })

  it("accepts the email in any case", async () => {
    const response = await get(sim, "/rest/api/3/myself", { ...DEMO_ACCOUNT, email: "JIRA-BOT@DEMO.TEST" })
    expect(response.status).toBe(200)
  })

  it("answers other methods with 405", async () => {
    const response = await post(sim, "/rest/api/3/myself", {})
    expect(response.status).toBe(405)
    expect(response.headers.get("allow")).toBe("GET")
  })
})

describe("POST /search/jql", () => {
  it("returns only the requested fields, in Jira's shapes", async () => {
    const { status, body } = await search(sim, {
      jql: "project = DEMO ORDER BY key ASC",
      fields: ["summary", "status", "assignee", "priority", "updated"],
      maxResults: 5
    })
    expect(status).toBe(200)
    expect(Object.keys(body)).toEqual(["issues", "nextPageToken", "isLast"])
    expect(body.isLast).toBe(false)
    const first = body.issues[0]
    expect(first).toMatchObject({ key: "DEMO-1", self: `${DEMO_SITE}/rest/api/3/issue/${first?.id}` })
    expect(Object.keys(first?.fields ?? {}).sort()).toEqual(
      ["assignee", "priority", "status", "summary", "updated"].sort()
    )
    expect(first?.fields.summary).toBe("<script>alert(1)</script>")
    expect(first?.fields.updated).toMatch(JIRA_DATE)
    expect(first?.fields.status).toMatchObject({
      self: expect.stringMatching(/\/rest\/api\/3\/status\/\d+$/),
      id: expect.any(String),
      name: expect.any(String),
      statusCategory: {
        self: expect.any(String),
        id: expect.any(Number),
        key: expect.any(String),
        colorName: expect.any(String)
      }
    })
  })

  it("returns ids only when no fields are asked for", async () => {
    const { body } = await search(sim, { jql: "project = WEB", maxResults: 3 })
    expect(body.issues.map((i) => Object.keys(i))).toEqual([["id"], ["id"], ["id"]])
  })

  it("sends null assignees and priorities, and leaves a missing priority field out", async () => {
    const unassigned = await search(sim, { jql: "assignee IS EMPTY", fields: ["assignee"], maxResults: 1 })
    expect(unassigned.body.issues[0]?.fields).toEqual({ assignee: null })
    const noPriority = await search(sim, {
      jql: "project != IDEA AND priority IS EMPTY",
      fields: ["priority"],
      maxResults: 1
    })
    expect(noPriority.body.issues[0]?.fields).toEqual({ priority: null })
    const missing = await search(sim, { jql: "project = IDEA", fields: ["priority", "summary"], maxResults: 1 })
    expect(Object.keys(missing.body.issues[0]?.fields ?? {})).toEqual(["summary"])
  })

  it("localises status category names for the account, keeping the keys", async () => {
    const jql = "project = DEMO AND statusCategory = indeterminate"
    const english = await search(sim, { jql, fields: ["status"], maxResults: 1 })
    const german = await search(sim, { jql, fields: ["status"], maxResults: 1 }, DEMO_ACCOUNT_RESTRICTED)
    expect(english.body.issues[0]?.fields.status).toMatchObject({
      statusCategory: { key: "indeterminate", name: "In Progress", colorName: "yellow", id: 4 }
    })
    expect(german.body.issues[0]?.fields.status).toMatchObject({
      statusCategory: { key: "indeterminate", name: "In Arbeit", colorName: "yellow", id: 4 }
    })
  })

  it("formats dates in the account's time zone", async () => {
    const jql = "key = DEMO-1"
    const sg = await search(sim, { jql, fields: ["created"] })
    const de = await search(sim, { jql, fields: ["created"] }, DEMO_ACCOUNT_RESTRICTED)
    expect(sg.body.issues[0]?.fields.created).toMatch(/\+0800$/)
    expect(de.body.issues[0]?.fields.created).toMatch(/\+0[12]00$/)
    const issue = sim.data.issues.find((i) => i.key === "DEMO-1")
    expect(Date.parse(String(sg.body.issues[0]?.fields.created).replace(/(\d{2})(\d{2})$/, "$1:$2"))).toBe(
      issue?.created
    )
  })

  it("matches what sim.search computes", async () => {
    const jql = "assignee = currentUser() AND statusCategory != done ORDER BY updated DESC"
    const { body } = await search(sim, { jql, fields: ["summary"], maxResults: 100 })
    expect(body.issues.map((i) => i.key)).toEqual(sim.search(jql).map((i) => i.key))
    expect(body.issues.length).toBeGreaterThan(10)
  })

  it("answers anonymous and wrong credentials with 200 and no issues when the JQL names no project", async () => {
    for (const auth of ["none" as const, WRONG_TOKEN]) {
      const { status, body } = await search(sim, { jql: "status = Done", fields: ["summary"] }, auth)
      expect(status).toBe(200)
      expect(body).toEqual({ issues: [], isLast: true })
    }
  })

  it("hides projects the account cannot browse", async () => {
    const { body } = await search(sim, { jql: "project in (DEMO, OPS, MKT)", maxResults: 100 }, DEMO_ACCOUNT_RESTRICTED)
    expect(body.issues.length).toBeGreaterThan(0)
    const denied = await search(sim, { jql: "project = WEB" }, DEMO_ACCOUNT_RESTRICTED)
    expect(denied.status).toBe(400)
  })

  it.each([
    ["", "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
    ["ORDER BY key", "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
    ["project = FOO", "The value 'FOO' does not exist for the field 'project'."],
    ["foo = bar", "Field 'foo' does not exist or you do not have permission to view it."],
    ["project = DEMO AND", "Error in the JQL Query: Expecting a field name at the end of the query."]
  ])("refuses %j with 400 and Jira's error body", async (jql, message) => {
    const { status, body } = await search(sim, { jql, fields: ["summary"] })
    expect(status).toBe(400)
    expect(body).toEqual({ errorMessages: [message], errors: {} })
  })

  it("treats a missing or null jql as unbounded", async () => {
    for (const body of [{}, { jql: null }]) {
      const response = await post(sim, "/rest/api/3/search/jql", body)
      expect(response.status).toBe(400)
      expect((await json(response)).errorMessages).toEqual([
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
      ])
    }
  })

  it("refuses unbounded JQL from anonymous callers too", async () => {
    const { status } = await search(sim, { jql: "ORDER BY key" }, "none")
    expect(status).toBe(400)
  })

  it("caps maxResults at 100 with fields and 5000 for ids only, and defaults to 50", async () => {
    const big = { jql: "project = DEMO", maxResults: 1000 }
    expect((await search(sim, { ...big, fields: ["summary"] })).body.issues).toHaveLength(100)
    expect((await search(sim, big)).body.issues).toHaveLength(150)
    expect((await search(sim, { jql: "project = DEMO", fields: ["summary"] })).body.issues).toHaveLength(50)
    // Key-only searches page like id-only ones.
    const keys = await search(sim, { ...big, jql: "project in (DEMO, WEB)", fields: ["key", "id"] })
    expect(keys.body.issues).toHaveLength(230)
    expect(keys.body.issues[0]).toMatchObject({ key: expect.any(String), fields: {} })
  })

  it("understands *all, *navigable and -field", async () => {
    const all = await search(sim, { jql: "key = DEMO-2", fields: ["*all"] })
    expect(Object.keys(all.body.issues[0]?.fields ?? {}).sort()).toEqual(
      [
        ...["assignee", "created", "issuetype", "priority", "project", "status", "summary", "updated"],
        ...["resolution", "resolutiondate", "labels", "components", "reporter", "parent", "fixVersions"],
        ...["description", "customfield_10010", "customfield_10020"]
      ].sort()
    )
    const without = await search(sim, { jql: "key = DEMO-2", fields: ["*navigable", "-project", "-issuetype"] })
    expect(Object.keys(without.body.issues[0]?.fields ?? {})).not.toContain("project")
    const unknown = await search(sim, { jql: "key = DEMO-2", fields: ["summary", "customfield_99999"] })
    expect(Object.keys(unknown.body.issues[0]?.fields ?? {})).toEqual(["summary"])
  })

  it("renders resolution, sprints, story points, parent and the rest as Jira does", async () => {
    const [done] = sim.search(
      "resolution = Done AND sprint is not EMPTY AND cf[10010] is not EMPTY AND parent is not EMPTY"
    )
    if (done === undefined) throw new Error("the default data has such an issue")
    const { body } = await search(sim, { jql: `key = ${done.key}`, fields: ["*all"] })
    const fields = body.issues[0]?.fields ?? {}
    expect(fields.resolution).toMatchObject({ id: "10000", name: "Done" })
    expect(fields.resolutiondate).toMatch(/^\d{4}-\d{2}-\d{2}T.*[+-]\d{4}$/)
    expect(fields.customfield_10010).toBe(done.customFields?.["10010"])
    expect(fields.customfield_10020).toEqual([expect.objectContaining({ id: done.sprintIds?.[0], state: "closed" })])
    expect(fields.parent).toMatchObject({ key: done.parentKey })
    const open = await search(sim, {
      jql: "resolution = Unresolved AND sprint is EMPTY",
      fields: ["resolution", "customfield_10020"],
      maxResults: 1
    })
    expect(open.body.issues[0]?.fields).toEqual({ resolution: null, customfield_10020: null })
  })

  it("refuses a malformed payload", async () => {
    for (const body of [
      "{not json",
      JSON.stringify({ jql: 42 }),
      JSON.stringify({ jql: "project = DEMO", fields: "summary" })
    ]) {
      const response = await post(sim, "/rest/api/3/search/jql", body)
      expect(response.status).toBe(400)
      expect(await json(response)).toEqual({
        errorMessages: ["Invalid request payload. Refer to the REST API documentation and try again."],
        errors: {}
      })
    }
  })

  it("answers 415 when the body is not declared as JSON", async () => {
    const response = await sim.handle(
      new Request(`${DEMO_SITE}/rest/api/3/search/jql`, {
        method: "POST",
        body: JSON.stringify({ jql: "project = DEMO" })
      })
    )
    expect(response.status).toBe(415)
  })

  it("also answers GET with query parameters", async () => {
    const response = await get(
      sim,
      `/rest/api/3/search/jql?jql=${encodeURIComponent("project = WEB")}&fields=summary,status&maxResults=2`
    )
    const body = await json(response)
    expect(response.status).toBe(200)
    expect((body.issues as unknown[]).length).toBe(2)
  })
})

describe("POST /search/approximate-count", () => {
  it("counts what the search finds", async () => {
    for (const jql of ["project = DEMO", "statusCategory = done", "assignee = currentUser()", "priority IS EMPTY"]) {
      const body = await json(await post(sim, "/rest/api/3/search/approximate-count", { jql }))
      expect(body).toEqual({ count: sim.search(jql).length })
    }
  })

  it("counts 0 for anonymous callers and refuses unbounded JQL", async () => {
    expect(
      await json(await post(sim, "/rest/api/3/search/approximate-count", { jql: "statusCategory = done" }, "none"))
    ).toEqual({ count: 0 })
    const unbounded = await post(sim, "/rest/api/3/search/approximate-count", { jql: "ORDER BY created" })
    expect(unbounded.status).toBe(400)
    expect(await json(unbounded)).toEqual({
      errorMessages: ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
      errors: {}
    })
  })
})

interface ProjectPage {
  self: string
  nextPage?: string
  maxResults: number
  startAt: number
  total: number
  isLast: boolean
  values: Array<Record<string, unknown> & { key: string; name: string }>
}

const projects = async (query: string, auth: Parameters<typeof get>[2] = DEMO_ACCOUNT): Promise<ProjectPage> =>
  (await json(await get(sim, `/rest/api/3/project/search${query}`, auth))) as unknown as ProjectPage

describe("GET /project/search", () => {
  it("pages by startAt and maxResults, ordered by key", async () => {
    const first = await projects("?maxResults=4")
    expect(first).toMatchObject({ startAt: 0, maxResults: 4, total: 11, isLast: false })
    expect(first.values.map((p) => p.key)).toEqual(["DATA", "DEMO", "HELP", "IDEA"])
    expect(first.nextPage).toBe(`${DEMO_SITE}/rest/api/3/project/search?maxResults=4&startAt=4`)
    const last = await projects("?startAt=8&maxResults=4")
    expect(last).toMatchObject({ startAt: 8, total: 11, isLast: true })
    expect(last.values.map((p) => p.key)).toEqual(["OPS", "RND", "WEB"])
    expect(last.nextPage).toBeUndefined()
  })

  it("defaults to 50 and caps maxResults at 100", async () => {
    expect((await projects("")).maxResults).toBe(50)
    expect((await projects("?maxResults=500")).maxResults).toBe(100)
  })

  it("orders by name or key, either way", async () => {
    expect((await projects("?orderBy=-key&maxResults=2")).values.map((p) => p.key)).toEqual(["WEB", "RND"])
    expect((await projects("?orderBy=name&maxResults=3")).values.map((p) => p.name)).toEqual([
      "Customer Help Desk",
      "Fresh Start",
      "IT-Betrieb"
    ])
    expect((await get(sim, "/rest/api/3/project/search?orderBy=colour")).status).toBe(400)
  })

  it("filters by query on key or name, case-insensitively", async () => {
    expect((await projects("?query=de")).values.map((p) => p.key)).toEqual(["DEMO", "HELP", "IDEA"])
    expect((await projects("?query=%C3%A9quipe")).values.map((p) => p.key)).toEqual(["MKT"])
    expect((await projects("?query=zzz", "none")).total).toBe(0)
  })

  it("includes the lead only with expand=lead", async () => {
    const plain = await projects("?maxResults=1&query=DEMO")
    expect(plain.values[0]?.lead).toBeUndefined()
    const expanded = await projects("?maxResults=1&query=DEMO&expand=lead")
    expect(expanded.values[0]?.lead).toMatchObject({ accountId: DEMO_ACCOUNT.accountId, displayName: "Demo Bot" })
  })

  it("sends every project type, product_discovery included, with four avatar sizes", async () => {
    const all = await projects("?maxResults=100")
    expect(new Set(all.values.map((p) => p.projectTypeKey))).toEqual(
      new Set(["software", "business", "service_desk", "product_discovery"])
    )
    for (const p of all.values)
      expect(Object.keys(p.avatarUrls as object)).toEqual(["48x48", "32x32", "24x24", "16x16"])
    expect(all.values.find((p) => p.key === "RND")?.name).toBe("R&D <Lab>")
  })

  it("shows only browsable projects, and none to anonymous callers", async () => {
    expect((await projects("", DEMO_ACCOUNT_RESTRICTED)).values.map((p) => p.key)).toEqual(["DEMO", "MKT", "OPS"])
    expect(await projects("", "none")).toMatchObject({ total: 0, values: [], isLast: true })
  })
})

describe("POST /jql/parse", () => {
  const parse = async (queries: string[], validation = "strict") =>
    (await json(await post(sim, `/rest/api/3/jql/parse?validation=${validation}`, { queries }))).queries as Array<
      Record<string, unknown>
    >

  it("answers 200 with errors for bad queries and a structure for good ones", async () => {
    const [bad, good, unknownField] = await parse([
      "invalid query",
      "project = DEMO AND assignee = currentUser() ORDER BY updated DESC",
      "universe = 42"
    ])
    expect(bad).toEqual({
      query: "invalid query",
      errors: [
        "Error in the JQL Query: Expecting operator but got 'query'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)"
      ]
    })
    expect(good).toEqual({
      query: "project = DEMO AND assignee = currentUser() ORDER BY updated DESC",
      structure: {
        where: {
          operator: "and",
          clauses: [
            {
              field: { name: "project", encodedName: "project" },
              operator: "=",
              operand: { value: "DEMO", encodedValue: "DEMO" }
            },
            {
              field: { name: "assignee", encodedName: "assignee" },
              operator: "=",
              operand: { function: "currentUser", arguments: [], encodedOperand: "currentUser()" }
            }
          ]
        },
        orderBy: { fields: [{ field: { name: "updated", encodedName: "updated" }, direction: "desc" }] }
      }
    })
    expect(unknownField?.errors).toEqual(["Field 'universe' does not exist or you do not have permission to view it."])
  })

  it("does not check boundedness", async () => {
    const [orderOnly, empty] = await parse(["ORDER BY key", ""])
    expect(orderOnly?.structure).toEqual({ orderBy: { fields: [{ field: { name: "key", encodedName: "key" } }] } })
    expect(empty).toEqual({ query: "", structure: {} })
  })

  it("quotes encoded values that need it", async () => {
    const [q] = await parse(['status in ("In Progress", Done, EMPTY)'])
    expect(q?.structure).toMatchObject({
      where: {
        operand: {
          values: [
            { value: "In Progress", encodedValue: '"In Progress"' },
            { value: "Done", encodedValue: "Done" },
            { keyword: "empty" }
          ],
          encodedOperand: '("In Progress", Done, EMPTY)'
        }
      }
    })
  })

  it("returns the structure with the errors under warn, and skips validation under none", async () => {
    const [warn] = await parse(["project = NOPE"], "warn")
    expect(warn).toMatchObject({
      structure: expect.any(Object),
      errors: ["The value 'NOPE' does not exist for the field 'project'."]
    })
    const [none] = await parse(["project = NOPE"], "none")
    expect(none).toEqual({ query: "project = NOPE", structure: expect.any(Object) })
  })

  it("refuses an empty list and an unknown validation mode", async () => {
    expect((await post(sim, "/rest/api/3/jql/parse?validation=strict", { queries: [] })).status).toBe(400)
    expect((await post(sim, "/rest/api/3/jql/parse?validation=loose", { queries: ["a = b"] })).status).toBe(400)
  })
})

describe("removed and unknown paths", () => {
  it.each(["GET", "POST"])("answers %s /rest/api/3/search with 410", async (method) => {
    const response = await sim.handle(
      new Request(`${DEMO_SITE}/rest/api/3/search?jql=project%3DDEMO`, {
        method,
        headers: { "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {})
      })
    )
    expect(response.status).toBe(410)
    expect(await response.json()).toEqual({
      errorMessages: [
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
      ],
      errors: {}
    })
  })

  it("answers unknown paths with an HTML 404", async () => {
    const response = await get(sim, "/rest/api/3/nothing-here")
    expect(response.status).toBe(404)
    expect(response.headers.get("content-type")).toMatch(/^text\/html/)
    expect(await response.text()).toContain("<!DOCTYPE html>")
  })

  it("serves the avatar images its URLs point at", async () => {
    const response = await get(
      sim,
      `/secure/useravatar?size=48&accountId=${encodeURIComponent(DEMO_ACCOUNT.accountId)}`,
      "none"
    )
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("image/svg+xml")
    expect(await response.text()).toContain(">DB</text>")
  })
})

describe("call log", () => {
  it("records method, path and time, and resets", async () => {
    const before = Date.now()
    await get(sim, "/rest/api/3/myself")
    await search(sim, { jql: "project = DEMO" })
    await search(sim, { jql: "project = WEB" }, "none")
    expect(sim.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ["GET", "/rest/api/3/myself", 200],
      ["POST", "/rest/api/3/search/jql", 200],
      ["POST", "/rest/api/3/search/jql", 400]
    ])
    expect(sim.calls[0]?.time).toBeGreaterThanOrEqual(before)
    expect(sim.calls.map((c) => c.accountId)).toEqual([DEMO_ACCOUNT.accountId, DEMO_ACCOUNT.accountId, null])
    expect(sim.countCalls({ path: "/rest/api/3/search/jql" })).toBe(2)
    expect(sim.countCalls({ method: "get" })).toBe(1)
    sim.resetCalls()
    expect(sim.calls).toEqual([])
  })
})

describe("seed", () => {
  it("replaces data and invalidates cached results", async () => {
    const jql = "project = DEMO"
    expect((await json(await post(sim, "/rest/api/3/search/approximate-count", { jql }))).count).toBe(150)
    sim.seed({ issues: sim.data.issues.filter((i) => i.key !== "DEMO-1") })
    expect((await json(await post(sim, "/rest/api/3/search/approximate-count", { jql }))).count).toBe(149)
  })
})
