import { afterAll, afterEach, beforeAll } from "@effect/vitest"
import { type JiraConnection, SiteUrl } from "@sciple/jira-core"
import { Effect, type Exit, Fiber, Logger, Queue, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { setupServer } from "msw/node"
import { type JiraCloudOptions, make } from "../../src/issue-source.jira-cloud.ts"

/** Shared by the adapter's msw-based tests: a site, a connection, Jira-shaped JSON and a TestClock driver. */

export const SITE = "https://acme.atlassian.net"
export const API = `${SITE}/rest/api/3`
export const EMAIL = "bot@example.test"
export const TOKEN = "secret-api-token-123"

export const connection: JiraConnection = {
  site: SiteUrl.make(SITE),
  email: EMAIL,
  token: Redacted.make(TOKEN),
  cacheKey: "cfg-1:1/cred-1:1"
}

/** An msw server for one test file, refusing any request no handler answers. */
export const useMsw = () => {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
  return server
}

/** The adapter on the fetch client, as an Effect (so each test gets fresh per-site state). */
export const makeSource = (options: JiraCloudOptions = {}) =>
  Effect.gen(function* () {
    return make(yield* HttpClient.HttpClient, options)
  }).pipe(Effect.provide(FetchHttpClient.layer))

export const NO_RETRY: JiraCloudOptions = { retry: { maxRetries: 0 } }

export const anIssue = (key: string, overrides: Record<string, unknown> = {}) => ({
  id: key.replace(/\D/g, ""),
  key,
  self: `${API}/issue/${key}`,
  fields: {
    summary: `Summary of ${key}`,
    status: {
      name: "In Arbeit",
      statusCategory: { id: 4, key: "indeterminate", name: "In Arbeit", colorName: "yellow" }
    },
    assignee: {
      accountId: "acc-1",
      displayName: "Ada Lovelace",
      avatarUrls: { "16x16": "https://a/16", "24x24": "https://a/24", "32x32": "https://a/32", "48x48": "https://a/48" }
    },
    priority: { name: "High", iconUrl: "https://acme.atlassian.net/images/icons/priorities/high.svg", id: "2" },
    updated: "2024-10-09T10:37:54.643+0800",
    ...overrides
  }
})

export const jiraError = (messages: ReadonlyArray<string>, errors: Record<string, string> = {}) => ({
  errorMessages: messages,
  errors
})

/** A wait the adapter announced before sleeping (its warning log carries `waitMs`). */
export interface AnnouncedWait {
  readonly message: string
  readonly waitMs: number
  readonly endpoint: string
}

/** A logger layer that hands every announced wait to the returned queue. */
export const captureWaits = Effect.gen(function* () {
  const waits = yield* Queue.unbounded<AnnouncedWait>()
  const logger = Logger.make(({ message }) => {
    const parts = Array.isArray(message) ? message : [message]
    const text = typeof parts[0] === "string" ? parts[0] : ""
    const details = parts.find(
      (part): part is { waitMs: number; endpoint: string } =>
        typeof part === "object" && part !== null && "waitMs" in part
    )
    if (details !== undefined)
      Queue.offerUnsafe(waits, { message: text, waitMs: details.waitMs, endpoint: details.endpoint })
  })
  return { waits, layer: Logger.layer([logger]) }
})

/**
 * Runs `effect` on the TestClock, advancing time by exactly each wait the adapter announces, until it ends.
 * Returns its exit and the waits seen. Waits of 0 need no advance.
 */
export const drive = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const { waits, layer } = yield* captureWaits
    const fiber = yield* Effect.forkChild(Effect.provide(effect, layer))
    const seen: Array<AnnouncedWait> = []
    while (true) {
      const next = yield* Effect.raceFirst(
        Effect.map(Fiber.await(fiber), (exit) => ({ _tag: "Exit" as const, exit })),
        Effect.map(Queue.take(waits), (wait) => ({ _tag: "Wait" as const, wait }))
      )
      if (next._tag === "Exit") {
        // A zero wait can end the call before the race takes the announcement.
        seen.push(...(yield* Queue.clear(waits)))
        return { exit: next.exit as Exit.Exit<A, E>, waits: seen }
      }
      seen.push(next.wait)
      // Let the adapter's fiber reach its sleep before time moves.
      yield* Effect.yieldNow
      yield* Effect.yieldNow
      yield* TestClock.adjust(next.wait.waitMs)
    }
  })
