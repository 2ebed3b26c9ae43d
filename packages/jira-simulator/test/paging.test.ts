import { describe, expect, it } from "vitest"
import { decodePageToken, encodePageToken, hashText, INVALID_TOKEN_MESSAGE } from "../src/paging.ts"
import { createJiraSimulator, type JiraSimulator } from "../src/simulator.ts"
import { search, TEST_NOW } from "./support/simulator.ts"

const walk = async (sim: JiraSimulator, jql: string, maxResults: number) => {
  const keys: string[] = []
  let token: string | undefined
  let pages = 0
  for (;;) {
    const { status, body } = await search(sim, {
      jql,
      fields: ["summary"],
      maxResults,
      ...(token ? { nextPageToken: token } : {})
    })
    expect(status).toBe(200)
    pages++
    keys.push(...body.issues.map((i) => i.key))
    if (body.isLast) {
      expect(body.nextPageToken).toBeUndefined()
      break
    }
    expect(typeof body.nextPageToken).toBe("string")
    token = body.nextPageToken
  }
  return { keys, pages }
}

describe("nextPageToken paging", () => {
  it.each([1, 7, 50, 100])("walks every page of %i without duplicates or gaps", async (size) => {
    const sim = createJiraSimulator({ now: () => TEST_NOW })
    const jql = "project in (DEMO, WEB, HELP) ORDER BY key"
    const { keys, pages } = await walk(sim, jql, size)
    const expected = sim.search(jql).map((i) => i.key)
    expect(keys).toEqual(expected)
    expect(new Set(keys).size).toBe(keys.length)
    expect(pages).toBe(Math.ceil(expected.length / size))
  })

  it("ends with isLast and no token on an exactly full last page", async () => {
    const sim = createJiraSimulator({ now: () => TEST_NOW })
    const { pages, keys } = await walk(sim, "project = DEMO", 50)
    expect(keys).toHaveLength(150)
    expect(pages).toBe(3)
  })

  it("answers an empty result with isLast and no issues", async () => {
    const sim = createJiraSimulator({ now: () => TEST_NOW })
    const { body } = await search(sim, { jql: "project = NEW", fields: ["summary"] })
    expect(body).toEqual({ issues: [], isLast: true })
  })

  it("refuses a token used with another JQL, a forged token and an expired one", async () => {
    let now = TEST_NOW
    const sim = createJiraSimulator({ now: () => now })
    const first = await search(sim, { jql: "project = DEMO", fields: ["summary"], maxResults: 10 })
    const token = first.body.nextPageToken
    expect(token).toBeDefined()
    const other = await search(sim, { jql: "project = WEB", fields: ["summary"], nextPageToken: token })
    expect(other.status).toBe(400)
    expect(other.body).toEqual({ errorMessages: ["The next page token does not belong to this query."], errors: {} })
    const forged = await search(sim, { jql: "project = DEMO", fields: ["summary"], nextPageToken: "not-a-token" })
    expect(forged.status).toBe(400)
    now = new Date(TEST_NOW.getTime() + 8 * 86_400_000)
    const expired = await search(sim, { jql: "project = DEMO", fields: ["summary"], nextPageToken: token })
    expect(expired.status).toBe(400)
    expect(expired.body.errorMessages).toEqual([INVALID_TOKEN_MESSAGE])
  })

  it("treats an empty token as the first page", async () => {
    const sim = createJiraSimulator({ now: () => TEST_NOW })
    const { status, body } = await search(sim, {
      jql: "project = WEB ORDER BY key",
      fields: ["summary"],
      maxResults: 1,
      nextPageToken: ""
    })
    expect(status).toBe(200)
    expect(body.issues[0]?.key).toBe("WEB-1")
  })
})

describe("tokens", () => {
  it("are opaque base64url and check the query hash", () => {
    const token = encodePageToken("project = A", 40, 1000)
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodePageToken(token, "project = A", 2000)).toEqual({ ok: true, offset: 40 })
    expect(decodePageToken(token, "project = B", 2000).ok).toBe(false)
    expect(hashText("a")).not.toBe(hashText("b"))
  })
})
