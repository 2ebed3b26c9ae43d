import { describe, expect, it } from "@effect/vitest"
import type { JiraError } from "@sciple/jira-core"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { delay, HttpResponse, http } from "msw"
import { API, connection, EMAIL, jiraError, makeSource, NO_RETRY, TOKEN, useMsw } from "./support/jira-msw.ts"

const server = useMsw()

const myself = (answer: () => Response | Promise<Response>) => server.use(http.get(`${API}/myself`, answer))

const failureOf = (options = NO_RETRY) =>
  Effect.gen(function* () {
    const source = yield* makeSource(options)
    return yield* source.getAccount(connection).pipe(Effect.flip)
  })

/** No error may carry the credential, in any of its forms. */
const expectNoSecret = (error: JiraError) => {
  const basic = btoa(`${EMAIL}:${TOKEN}`)
  for (const text of [error.message, JSON.stringify(error), String(error)]) {
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(basic)
  }
}

describe("every Jira answer maps to a typed error", () => {
  it.effect("401 with Jira's plain-text body", () =>
    Effect.gen(function* () {
      myself(() =>
        HttpResponse.text("Client must be authenticated to access this resource.", {
          status: 401,
          headers: { "X-Seraph-LoginReason": "AUTHENTICATED_FAILED" }
        })
      )
      const error = yield* failureOf()
      expect(error._tag).toBe("JiraUnauthorized")
      expectNoSecret(error)
    })
  )

  it.effect("401 with a JSON body", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.json(jiraError(["You are not authenticated."]), { status: 401 }))
      expect((yield* failureOf())._tag).toBe("JiraUnauthorized")
    })
  )

  it.effect("403 for a missing permission", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.json(jiraError(["You do not have permission."]), { status: 403 }))
      expect(yield* failureOf()).toMatchObject({ _tag: "JiraForbidden", reason: "permission" })
    })
  )

  it.effect("403 for the CAPTCHA lock", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.text("", { status: 403, headers: { "X-Seraph-LoginReason": "AUTHENTICATION_DENIED" } }))
      expect(yield* failureOf()).toMatchObject({ _tag: "JiraForbidden", reason: "captcha" })
    })
  )

  it.effect("400 with Jira's messages from errorMessages and errors", () =>
    Effect.gen(function* () {
      myself(() =>
        HttpResponse.json(
          jiraError(["The value 'FOO' does not exist for the field 'project'."], {
            jql: "Field 'bar' does not exist."
          }),
          { status: 400 }
        )
      )
      expect(yield* failureOf()).toMatchObject({
        _tag: "JiraInvalidJql",
        messages: ["The value 'FOO' does not exist for the field 'project'.", "Field 'bar' does not exist."]
      })
    })
  )

  it.effect("400 without a usable body still says something", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.text("<html>Bad Request</html>", { status: 400 }))
      expect(yield* failureOf()).toMatchObject({ _tag: "JiraInvalidJql", messages: ["Jira gave no reason."] })
    })
  )

  it.effect("404 with an HTML page", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.html("<html><body><h1>Page not found</h1></body></html>", { status: 404 }))
      expect((yield* failureOf())._tag).toBe("JiraSiteNotFound")
    })
  )

  it.effect("410 for a removed API names the endpoint", () =>
    Effect.gen(function* () {
      myself(() =>
        HttpResponse.json(
          jiraError([
            "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
          ]),
          { status: 410 }
        )
      )
      expect(yield* failureOf()).toMatchObject({ _tag: "JiraEndpointRemoved", endpoint: "GET /rest/api/3/myself" })
    })
  )

  it.effect("429 with Retry-After when no retry is left", () =>
    Effect.gen(function* () {
      myself(() =>
        HttpResponse.json(jiraError(["Rate limit exceeded."]), {
          status: 429,
          headers: { "Retry-After": "5", "RateLimit-Reason": "jira-burst-based" }
        })
      )
      const error = yield* failureOf()
      expect(error).toMatchObject({ _tag: "JiraRateLimited", reason: "jira-burst-based" })
      expect(error._tag === "JiraRateLimited" && error.retryAfterSeconds).toBeGreaterThanOrEqual(5)
    })
  )

  for (const status of [500, 502, 503, 504] as const) {
    it.effect(`${status} is Jira being unavailable`, () =>
      Effect.gen(function* () {
        myself(() => HttpResponse.text("oops", { status }))
        expect(yield* failureOf()).toMatchObject({ _tag: "JiraUnavailable", reason: "server", status })
      })
    )
  }

  it.effect("other statuses are unexpected", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.text("", { status: 418 }))
      expect(yield* failureOf()).toMatchObject({
        _tag: "JiraUnexpectedResponse",
        detail: "HTTP 418 from GET /rest/api/3/myself"
      })
    })
  )

  it.effect("a hung response times out after the request timeout (10 s by default)", () =>
    Effect.gen(function* () {
      const { promise: arrived, resolve } = Promise.withResolvers<void>()
      myself(async () => {
        resolve()
        await delay("infinite")
        return HttpResponse.json({})
      })
      const fiber = yield* Effect.forkChild(failureOf())
      yield* Effect.promise(() => arrived)
      yield* TestClock.adjust("9999 millis")
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "JiraUnavailable", reason: "timeout", status: null })
    })
  )

  it.effect("the request timeout is configurable", () =>
    Effect.gen(function* () {
      myself(async () => {
        await delay("infinite")
        return HttpResponse.json({})
      })
      const fiber = yield* Effect.forkChild(failureOf({ ...NO_RETRY, requestTimeout: "2 seconds" }))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "JiraUnavailable", reason: "timeout" })
    })
  )

  it.effect("a network error", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.error())
      expect(yield* failureOf()).toMatchObject({ _tag: "JiraUnavailable", reason: "network", status: null })
    })
  )

  it.effect("malformed JSON", () =>
    Effect.gen(function* () {
      myself(() => new HttpResponse("{not json", { status: 200, headers: { "content-type": "application/json" } }))
      expect(yield* failureOf()).toMatchObject({
        _tag: "JiraUnexpectedResponse",
        detail: "GET /rest/api/3/myself answered with malformed JSON"
      })
    })
  )

  it.effect("truncated JSON", () =>
    Effect.gen(function* () {
      const full = JSON.stringify({ accountId: "acc-1", displayName: "Bot", emailAddress: "bot@example.test" })
      myself(
        () => new HttpResponse(full.slice(0, full.length / 2), { headers: { "content-type": "application/json" } })
      )
      expect((yield* failureOf())._tag).toBe("JiraUnexpectedResponse")
    })
  )

  it.effect("a 200 HTML page (a login screen) is unexpected", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.html("<html>Log in</html>"))
      expect((yield* failureOf())._tag).toBe("JiraUnexpectedResponse")
    })
  )

  it.effect("a redirect off the site is refused, and the other host never sees the credential", () =>
    Effect.gen(function* () {
      let offSiteCalls = 0
      myself(() => HttpResponse.text("", { status: 302, headers: { location: "https://evil.example/steal" } }))
      server.use(
        http.get("https://evil.example/steal", () => {
          offSiteCalls++
          return HttpResponse.json({ accountId: "x", displayName: "x" })
        })
      )
      const error = yield* failureOf()
      expect(error).toMatchObject({
        _tag: "JiraUnexpectedResponse",
        detail: "GET /rest/api/3/myself redirected to another host"
      })
      expect(offSiteCalls).toBe(0)
      expectNoSecret(error)
    })
  )

  it.effect("a redirect to another atlassian.net site is off-site too", () =>
    Effect.gen(function* () {
      myself(() =>
        HttpResponse.text("", { status: 301, headers: { location: "https://other.atlassian.net/rest/api/3/myself" } })
      )
      expect((yield* failureOf())._tag).toBe("JiraUnexpectedResponse")
    })
  )

  it.effect("a redirect loop on the site stops", () =>
    Effect.gen(function* () {
      myself(() => HttpResponse.text("", { status: 307, headers: { location: "/rest/api/3/myself" } }))
      expect(yield* failureOf()).toMatchObject({
        _tag: "JiraUnexpectedResponse",
        detail: "GET /rest/api/3/myself redirected too many times"
      })
    })
  )
})
