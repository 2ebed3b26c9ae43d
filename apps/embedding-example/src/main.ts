import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_SITE, startJiraSimulatorServer } from "@sciple/jira-simulator"
import { Effect } from "effect"
import { connectAndSummarise, jiraLayer } from "./embed.js"

// Plain node, no test runner: the use case end to end against the simulator's loopback server.
const simulator = createJiraSimulator()
const server = await startJiraSimulatorServer(simulator)
const secretsDir = await mkdtemp(join(tmpdir(), "embedding-example-"))
try {
  const layer = jiraLayer({ secretsDir, routeHosts: { [new URL(DEMO_SITE).host]: server.url } })
  const summary = await Effect.runPromise(
    connectAndSummarise({ site: DEMO_SITE, email: DEMO_ACCOUNT.email, apiToken: DEMO_ACCOUNT.apiToken }).pipe(
      Effect.provide(layer)
    )
  )
  const { todo, inProgress, done, open } = summary.split
  const expected = simulator.search(summary.jql).length
  console.log(`${summary.connectionName} at ${summary.site}: ${open} open, ${done} done (of ${expected})`)
  // Issues in a status of no category count in neither figure.
  if (open !== todo + inProgress || open === 0 || done === 0 || open + done > expected) {
    console.error("The home summary does not match the simulated site.")
    process.exitCode = 1
  }
} finally {
  await server.close()
  await rm(secretsDir, { recursive: true, force: true })
}
