import { readFileSync } from "node:fs"
import { createServer as createHttpServer, type Server } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { SiteUrl } from "@sciple/jira-core"
import { Effect, Fiber, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { make } from "../src/issue-source.jira-cloud.ts"
import { routeHosts } from "../src/route-hosts.ts"

// Real sockets, no msw: the failures a person meets before any HTTP answer, each with its own reason.

const SITE = "https://acme.atlassian.net"
const connection = {
  site: SiteUrl.make(SITE),
  email: "bot@example.test",
  token: Redacted.make("secret-api-token-123"),
  cacheKey: "net"
}

const portOf = (address: AddressInfo | string | null): number =>
  typeof address === "object" && address !== null ? address.port : 0

const listening = (server: Server) =>
  Effect.acquireRelease(
    Effect.callback<number>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(portOf(server.address()))))
    }),
    () =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** The adapter with the site's host sent to `origin` (a loopback server, a closed port, an .invalid name). */
const sourceTo = (origin: string) =>
  Effect.gen(function* () {
    return make(routeHosts({ "acme.atlassian.net": origin })(yield* HttpClient.HttpClient))
  }).pipe(Effect.provide(FetchHttpClient.layer))

describe("Test connection over real sockets", () => {
  it.live("a refused port is reported as refused", () =>
    Effect.gen(function* () {
      const port = yield* Effect.scoped(listening(createHttpServer()))
      const source = yield* sourceTo(`http://127.0.0.1:${port}`)
      const error = yield* source.testConnection(connection).pipe(Effect.flip)
      expect(error).toMatchObject({ _tag: "JiraUnavailable", reason: "refused" })
      expect(error.message).toContain("refused the connection")
    })
  )

  it.live("a name that does not resolve is reported as a DNS failure", () =>
    Effect.gen(function* () {
      const source = yield* sourceTo("http://sciple-jira-test.invalid")
      const error = yield* source.testConnection(connection).pipe(Effect.flip)
      expect(error).toMatchObject({ _tag: "JiraUnavailable", reason: "dns" })
      expect(error.message).toContain("DNS")
    })
  )

  it.live("a certificate that does not verify is reported as a TLS failure, and no credential is sent", () =>
    Effect.gen(function* () {
      let requests = 0
      const server = createHttpsServer(
        {
          key: readFileSync(new URL("../test-data/loopback-self-signed.key", import.meta.url)),
          cert: readFileSync(new URL("../test-data/loopback-self-signed.crt", import.meta.url))
        },
        (_request, response) => {
          requests++
          response.end("{}")
        }
      )
      const error = yield* Effect.scoped(
        Effect.gen(function* () {
          const port = yield* listening(server)
          const source = yield* sourceTo(`https://127.0.0.1:${port}`)
          return yield* source.testConnection(connection).pipe(Effect.flip)
        })
      )
      expect(error).toMatchObject({ _tag: "JiraUnavailable", reason: "tls" })
      expect(error.message).toContain("certificate")
      expect(requests).toBe(0)
    })
  )

  it.effect("a socket that never answers ends the whole test at its 9 s deadline, not before", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const server = createHttpServer(() => {
          // Never answers.
        })
        const port = yield* listening(server)
        const source = yield* sourceTo(`http://127.0.0.1:${port}`)
        const fiber = yield* Effect.forkChild(source.testConnection(connection).pipe(Effect.flip))
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 200)))
        yield* TestClock.adjust("8999 millis")
        expect(fiber.pollUnsafe()).toBeUndefined()
        yield* TestClock.adjust("1 millis")
        const error = yield* Fiber.join(fiber)
        expect(error).toMatchObject({ _tag: "JiraUnavailable", reason: "timeout" })
      })
    )
  )

  it.live("no retry chain: a failing site gets one request, and the test answers at once", () =>
    Effect.gen(function* () {
      let requests = 0
      const server = createHttpServer((_request, response) => {
        requests++
        response.writeHead(503, { "Content-Type": "application/json" }).end('{"errorMessages":["Down"]}')
      })
      const error = yield* Effect.scoped(
        Effect.gen(function* () {
          const port = yield* listening(server)
          const source = yield* sourceTo(`http://127.0.0.1:${port}`)
          return yield* source.testConnection(connection).pipe(Effect.flip)
        })
      )
      expect(error).toMatchObject({ _tag: "JiraUnavailable", reason: "server", status: 503 })
      expect(requests).toBe(1)
    })
  )
})
