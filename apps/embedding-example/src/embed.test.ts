import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, it } from "@effect/vitest"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { Effect } from "effect"
import { setupServer } from "msw/node"
import { connectAndSummarise, jiraLayer } from "./embed.js"

// Jira Cloud mocked at the network edge by the simulator's msw handlers; anything else fails the test.
const simulator = createJiraSimulator()
const server = setupServer(...jiraSimulatorHandlers(simulator))
const secretsDir = mkdtempSync(join(tmpdir(), "embedding-example-"))
beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterAll(() => {
  server.close()
  rmSync(secretsDir, { recursive: true, force: true })
})

it.live("connects Jira and reads the home summary through the packaged adapters", () =>
  Effect.gen(function* () {
    const summary = yield* connectAndSummarise({
      site: DEMO_SITE,
      email: DEMO_ACCOUNT.email,
      apiToken: DEMO_ACCOUNT.apiToken
    }).pipe(Effect.provide(jiraLayer({ secretsDir })))
    expect(summary.site).toBe(DEMO_SITE)
    const { todo, inProgress, done, open } = summary.split
    expect(open).toBe(todo + inProgress)
    expect(open).toBeGreaterThan(0)
    expect(done).toBeGreaterThan(0)
    // Issues in a status of no category count in neither figure.
    expect(open + done).toBeLessThanOrEqual(simulator.search(summary.jql).length)
    expect(simulator.countCalls()).toBeGreaterThan(0)
  })
)
