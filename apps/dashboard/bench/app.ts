import { DEMO_SITE } from "@sciple/jira-simulator"
import { Result } from "effect"
import { DEMO_USERS, seedDemo } from "../demo/seed.ts"
import { start } from "../src/server.ts"
import { readSettings } from "../src/settings.ts"

/**
 * The dashboard as the benchmark runs it: its own process (so its memory and start time are its own), the demo
 * workspace seeded, and the demo site routed to the simulator the benchmark runs at BENCH_JIRA_URL.
 * Prints `listening <url>` once it serves.
 */
const settings = readSettings(process.env)
const jiraUrl = process.env.BENCH_JIRA_URL
if (Result.isFailure(settings) || jiraUrl === undefined) {
  for (const problem of Result.isFailure(settings) ? settings.failure : []) console.error(`configuration: ${problem}`)
  if (jiraUrl === undefined) console.error("configuration: BENCH_JIRA_URL is required")
  process.exit(1)
}

const running = await start(settings.success, {
  routeHosts: { [new URL(DEMO_SITE).host]: jiraUrl },
  demo: { users: DEMO_USERS },
  seed: seedDemo,
  log: (line) => console.error(line)
})
console.log(`listening ${running.url}`)

const stop = () => {
  void running.close().then(() => process.exit(0))
}
process.once("SIGTERM", stop)
process.once("SIGINT", stop)
