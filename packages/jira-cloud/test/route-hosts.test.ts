import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { HttpResponse, http } from "msw"
import { layerRouteHosts, routeHosts } from "../src/route-hosts.ts"
import { useMsw } from "./support/jira-msw.ts"

const server = useMsw()

describe("routeHosts", () => {
  it.effect("sends the listed hosts elsewhere, path and query kept, and leaves other hosts alone", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      server.use(
        http.all("http://127.0.0.1:4010/*", ({ request }) => {
          seen.push(request.url)
          return HttpResponse.json({ via: "loopback", host: request.headers.get("host") })
        }),
        http.all("https://acme.atlassian.net/*", ({ request }) => {
          seen.push(request.url)
          return HttpResponse.json({ via: "real" })
        })
      )
      const client = routeHosts({ "Demo.Atlassian.net": "http://127.0.0.1:4010/" })(yield* HttpClient.HttpClient)
      const demo = yield* client.get("https://demo.atlassian.net/rest/api/3/project/search", {
        urlParams: { startAt: "0", query: "a b" }
      })
      expect(yield* demo.json).toMatchObject({ via: "loopback" })
      const other = yield* client.get("https://acme.atlassian.net/rest/api/3/myself")
      expect(yield* other.json).toEqual({ via: "real" })
      expect(seen).toEqual([
        "http://127.0.0.1:4010/rest/api/3/project/search?startAt=0&query=a+b",
        "https://acme.atlassian.net/rest/api/3/myself"
      ])
    }).pipe(Effect.provide(FetchHttpClient.layer))
  )

  it.effect("works as a layer over the client below it", () =>
    Effect.gen(function* () {
      server.use(http.get("http://127.0.0.1:4010/ping", () => HttpResponse.text("pong")))
      const response = yield* HttpClient.get("https://demo.atlassian.net/ping")
      expect(yield* response.text).toBe("pong")
    }).pipe(
      Effect.provide(layerRouteHosts({ "demo.atlassian.net": "http://127.0.0.1:4010" })),
      Effect.provide(FetchHttpClient.layer)
    )
  )

  it("refuses a target that is not http(s)", () => {
    expect(() => routeHosts({ "demo.atlassian.net": "file:///etc/passwd" })).toThrow(/http/)
  })
})
