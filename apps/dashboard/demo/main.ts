import { DEFAULT_GATEWAY_ORIGIN } from "@sciple/jira-cloud"
import { createJiraSimulator, DEMO_ACCOUNT_SCOPED, DEMO_SITE, startJiraSimulatorServer } from "@sciple/jira-simulator"
import { Result } from "effect"
import { stopOnSignals } from "../src/platform/shutdown.ts"
import { StartupError, start } from "../src/server.ts"
import { readSettings } from "../src/settings.ts"
import { DEMO_USERS, demoSeed } from "./seed.ts"

/**
 * `pnpm demo`: the dashboard plus the Jira simulator on loopback. The simulated site keeps a real-looking
 * address (https://demo.atlassian.net); only the HTTP client layer routes that host to the simulator.
 */
const settings = readSettings({ DATA_DIR: "./.data/demo", ...process.env })
if (Result.isFailure(settings)) {
  for (const problem of settings.failure) console.error(`configuration: ${problem}`)
  process.exit(1)
}

const sim = createJiraSimulator()
const simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
try {
  const running = await start(settings.success, {
    // The gateway too: a scoped demo token reaches the simulator through `/ex/jira/{cloudId}`, never Atlassian.
    routeHosts: { [new URL(DEMO_SITE).host]: simulator.url, [new URL(DEFAULT_GATEWAY_ORIGIN).host]: simulator.url },
    demo: { users: DEMO_USERS },
    // Atlassian's recommended kind of token: the demo connects, tests and reads through the gateway.
    seed: demoSeed(DEMO_ACCOUNT_SCOPED)
  })
  // Before the line that says it serves: whoever reads that line may stop it at once.
  stopOnSignals(() => running.close().then(() => simulator.close()))
  console.log(`Sciple demo on ${running.url} (Jira data is simulated: ${DEMO_SITE} is served from ${simulator.url})`)
  for (const user of DEMO_USERS) console.log(`  sign in as ${user.email} / ${user.password} (${user.role})`)
  console.log(`  the simulated Jira account: ${DEMO_ACCOUNT_SCOPED.email} (a scoped API token, through the gateway)`)
} catch (error) {
  await simulator.close()
  console.error(
    `sciple demo: ${error instanceof StartupError ? error.message : error instanceof Error ? error.message.split("\n")[0] : String(error)}`
  )
  process.exit(1)
}
