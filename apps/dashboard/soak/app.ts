import { DEMO_SITE } from "@sciple/jira-simulator"
import { Result } from "effect"
import { start } from "../src/server.ts"
import { readSettings } from "../src/settings.ts"

/**
 * The dashboard as the soak runs it: `start` on its settings from the environment, in a process of its own
 * (so the memory sampled is the app's alone), with the demo site routed to the simulator the soak runs at
 * SOAK_JIRA_URL. Prints `listening <url>` once it serves.
 */
const settings = readSettings(process.env)
const jiraUrl = process.env.SOAK_JIRA_URL
if (Result.isFailure(settings) || jiraUrl === undefined) {
  for (const problem of Result.isFailure(settings) ? settings.failure : []) console.error(`configuration: ${problem}`)
  if (jiraUrl === undefined) console.error("configuration: SOAK_JIRA_URL is required")
  process.exit(1)
}

const running = await start(settings.success, {
  routeHosts: { [new URL(DEMO_SITE).host]: jiraUrl },
  log: (line) => console.error(line)
})
console.log(`listening ${running.url}`)

const stop = () => {
  void running.close().then(() => process.exit(0))
}
process.once("SIGTERM", stop)
process.once("SIGINT", stop)
