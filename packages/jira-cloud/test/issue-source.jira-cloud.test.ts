import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { HttpResponse, http } from "msw"
import { API, anIssue, connection, EMAIL, jiraError, makeSource, TOKEN, useMsw } from "./support/jira-msw.ts"

const server = useMsw()

interface Seen {
  readonly method: string
  readonly url: URL
  readonly headers: Headers
  readonly body: unknown
}

/** Answers `path` with `answer`, recording each request. */
const record = (method: "get" | "post", path: string, answer: (seen: Seen) => Response) => {
  const seen: Array<Seen> = []
  server.use(
    http[method](`${API}${path}`, async ({ request }) => {
      const text = method === "post" ? await request.text() : ""
      const entry = {
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: text === "" ? undefined : JSON.parse(text)
      }
      seen.push(entry)
      return answer(entry)
    })
  )
  return seen
}

describe("IssueSourceJiraCloud requests and mapping", () => {
  it.effect("searches with POST /search/jql, the product's fields and Basic auth built from the connection", () =>
    Effect.gen(function* () {
      const seen = record("post", "/search/jql", () =>
        HttpResponse.json({
          issues: [anIssue("ABC-1"), anIssue("ABC-2", { assignee: null, priority: null })],
          nextPageToken: "page-2",
          isLast: false
        })
      )
      yield* TestClock.setTime(Date.UTC(2026, 0, 2, 3, 4, 5))
      const source = yield* makeSource()
      const page = yield* source.searchIssues(connection, { jql: "project = ABC", pageSize: 250, pageToken: null })
      expect(page.fetchedAt).toEqual(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))
      expect(page.value.nextPageToken).toBe("page-2")
      expect(page.value.issues.map((issue) => issue.key)).toEqual(["ABC-1", "ABC-2"])
      expect(page.value.issues[0]?.status).toEqual({ name: "In Arbeit", category: "indeterminate" })
      expect(page.value.issues[1]?.assignee).toBeNull()
      const request = seen[0]!
      expect(request.body).toEqual({
        jql: "project = ABC",
        fields: ["summary", "status", "assignee", "priority", "updated"],
        maxResults: 100
      })
      expect(request.headers.get("authorization")).toBe(`Basic ${btoa(`${EMAIL}:${TOKEN}`)}`)
      expect(request.headers.get("accept")).toBe("application/json")
      expect(request.headers.get("content-type")).toContain("application/json")
      expect(request.headers.has("traceparent")).toBe(false)
      expect(request.headers.has("b3")).toBe(false)
    })
  )

  it.effect("sends the page token for later pages and ends on the last page", () =>
    Effect.gen(function* () {
      const seen = record("post", "/search/jql", () => HttpResponse.json({ issues: [anIssue("ABC-3")], isLast: true }))
      const source = yield* makeSource()
      const page = yield* source.searchIssues(connection, { jql: "project = ABC", pageSize: 10, pageToken: "page-2" })
      expect(page.value.nextPageToken).toBeNull()
      expect(seen[0]?.body).toMatchObject({ maxResults: 10, nextPageToken: "page-2" })
    })
  )

  it.effect("counts with POST /search/approximate-count", () =>
    Effect.gen(function* () {
      const seen = record("post", "/search/approximate-count", () => HttpResponse.json({ count: 153 }))
      const source = yield* makeSource()
      const count = yield* source.countIssues(connection, "project = ABC")
      expect(count.value).toBe(153)
      expect(seen[0]?.body).toEqual({ jql: "project = ABC" })
    })
  )

  it.effect("lists projects with expand=lead, paging and search parameters", () =>
    Effect.gen(function* () {
      const seen = record("get", "/project/search", () =>
        HttpResponse.json({
          self: `${API}/project/search`,
          startAt: 25,
          maxResults: 100,
          total: 27,
          isLast: true,
          values: [
            {
              id: "10001",
              key: "DISC",
              name: "Discovery",
              projectTypeKey: "product_discovery",
              avatarUrls: { "48x48": "https://p/48", "24x24": "https://p/24" },
              lead: { accountId: "acc-9", displayName: "Grace Hopper", active: true }
            },
            { id: "10002", key: "OPS", name: "Operations", projectTypeKey: "software" }
          ]
        })
      )
      const source = yield* makeSource()
      const page = yield* source.listProjects(connection, { startAt: 25, maxResults: 500, query: "dis co" })
      expect(page.value).toEqual({
        startAt: 25,
        total: 27,
        isLast: true,
        projects: [
          {
            id: "10001",
            key: "DISC",
            name: "Discovery",
            projectTypeKey: "product_discovery",
            avatarUrl: "https://p/48",
            lead: { accountId: "acc-9", displayName: "Grace Hopper" }
          },
          { id: "10002", key: "OPS", name: "Operations", projectTypeKey: "software", avatarUrl: null, lead: null }
        ]
      })
      const params = Object.fromEntries(seen[0]!.url.searchParams)
      expect(params).toEqual({ expand: "lead", startAt: "25", maxResults: "100", orderBy: "key", query: "dis co" })
      yield* source.listProjects(connection, { startAt: 0, maxResults: 25, query: "" })
      expect(seen[1]?.url.searchParams.has("query")).toBe(false)
    })
  )

  it.effect("reads the connected account, with a hidden email as null", () =>
    Effect.gen(function* () {
      const answers = [
        {
          accountId: "acc-1",
          accountType: "atlassian",
          displayName: "Bot",
          emailAddress: "bot@example.test",
          active: true
        },
        { accountId: "acc-2", accountType: "atlassian", displayName: "Anna", emailAddress: null, active: true },
        { accountId: "acc-3", accountType: "atlassian", displayName: "Hidden", active: true }
      ]
      let next = 0
      record("get", "/myself", () => HttpResponse.json(answers[next++]))
      const source = yield* makeSource()
      expect(yield* source.getAccount(connection)).toEqual({
        accountId: "acc-1",
        displayName: "Bot",
        emailAddress: "bot@example.test"
      })
      expect((yield* source.getAccount(connection)).emailAddress).toBeNull()
      expect((yield* source.getAccount(connection)).emailAddress).toBeNull()
    })
  )

  describe("validateJql", () => {
    it.effect("refuses a query the parser reports errors for, without counting", () =>
      Effect.gen(function* () {
        const parses = record("post", "/jql/parse", () =>
          HttpResponse.json({
            queries: [{ query: "project = = (", errors: ["Error in the JQL Query: '=' is unexpected."] }]
          })
        )
        const counts = record("post", "/search/approximate-count", () => HttpResponse.json({ count: 1 }))
        const source = yield* makeSource()
        const error = yield* source.validateJql(connection, "project = = (").pipe(Effect.flip)
        expect(error).toMatchObject({
          _tag: "JiraInvalidJql",
          messages: ["Error in the JQL Query: '=' is unexpected."]
        })
        expect(parses[0]?.url.searchParams.get("validation")).toBe("strict")
        expect(parses[0]?.body).toEqual({ queries: ["project = = ("] })
        expect(counts).toHaveLength(0)
      })
    )

    it.effect("refuses an unbounded query through the count call", () =>
      Effect.gen(function* () {
        record("post", "/jql/parse", () => HttpResponse.json({ queries: [{ query: "ORDER BY key", errors: [] }] }))
        record("post", "/search/approximate-count", () =>
          HttpResponse.json(
            jiraError(["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]),
            { status: 400 }
          )
        )
        const source = yield* makeSource()
        const error = yield* source.validateJql(connection, "ORDER BY key").pipe(Effect.flip)
        expect(error._tag).toBe("JiraInvalidJql")
        expect(error.message).toContain("Unbounded JQL queries are not allowed here")
      })
    )

    it.effect("accepts a bounded query that parses", () =>
      Effect.gen(function* () {
        record("post", "/jql/parse", () => HttpResponse.json({ queries: [{ query: "project = ABC", structure: {} }] }))
        const counts = record("post", "/search/approximate-count", () => HttpResponse.json({ count: 3 }))
        const source = yield* makeSource()
        yield* source.validateJql(connection, "project = ABC")
        expect(counts[0]?.body).toEqual({ jql: "project = ABC" })
      })
    )
  })

  it.effect("follows a redirect that stays on the site", () =>
    Effect.gen(function* () {
      server.use(
        http.get(`${API}/myself`, () =>
          HttpResponse.text("", { status: 302, headers: { location: "/rest/api/3/myself/moved?x=1" } })
        ),
        http.get(`${API}/myself/moved`, ({ request }) =>
          new URL(request.url).searchParams.get("x") === "1" && request.headers.get("authorization") !== null
            ? HttpResponse.json({ accountId: "acc-1", displayName: "Bot" })
            : HttpResponse.text("lost", { status: 500 })
        )
      )
      const source = yield* makeSource()
      expect((yield* source.getAccount(connection)).accountId).toBe("acc-1")
    })
  )

  it.effect("reports a body of the wrong shape briefly, without its content", () =>
    Effect.gen(function* () {
      record("post", "/search/jql", () =>
        HttpResponse.json({
          issues: [anIssue("ABC-1"), { key: "ABC-2", fields: { summary: "sk-live-SECRET-looking" } }]
        })
      )
      const source = yield* makeSource()
      const error = yield* source
        .searchIssues(connection, { jql: "project = ABC", pageSize: 10, pageToken: null })
        .pipe(Effect.flip)
      expect(error._tag).toBe("JiraUnexpectedResponse")
      expect(error.message).toContain("POST /rest/api/3/search/jql")
      expect(error.message).toContain("issues.1.fields")
      expect(error.message).not.toContain("SECRET")
      expect(error.message.length).toBeLessThan(200)
    })
  )
})
