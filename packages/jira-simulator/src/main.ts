import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED, DEMO_ACCOUNT_SCOPED, DEMO_SITE } from "./demo.ts"
import { startJiraSimulatorServer } from "./server.ts"
import { createJiraSimulator } from "./simulator.ts"

const port = Number(process.env.PORT ?? process.argv[2] ?? 0)
const sim = createJiraSimulator()
const server = await startJiraSimulatorServer(sim, { port, host: "127.0.0.1" })

process.stdout.write(
  [
    `Jira simulator for ${DEMO_SITE} listening on ${server.url}`,
    `  ${sim.data.projects.length} projects, ${sim.data.issues.length} issues`,
    `  credential: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.apiToken} (${DEMO_ACCOUNT.displayName})`,
    `  restricted: ${DEMO_ACCOUNT_RESTRICTED.email} / ${DEMO_ACCOUNT_RESTRICTED.apiToken} (${DEMO_ACCOUNT_RESTRICTED.displayName})`,
    `  scoped token: ${DEMO_ACCOUNT_SCOPED.email} / ${DEMO_ACCOUNT_SCOPED.apiToken}, through the gateway ${server.url}/ex/jira/${sim.cloudId}`,
    `  try: curl -u ${DEMO_ACCOUNT.email}:${DEMO_ACCOUNT.apiToken} ${server.url}/rest/api/3/myself`,
    ""
  ].join("\n")
)

const stop = () => {
  void server.close().then(() => process.exit(0))
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
