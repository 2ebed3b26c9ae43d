import { type JiraConnection, SiteUrl } from "@sciple/jira-core"
import { issueSourceContract } from "@sciple/jira-core/contracts"
import { createJiraSimulator, DEMO_ACCOUNT, DEMO_SITE, startJiraSimulatorServer } from "@sciple/jira-simulator"
import { Effect, Layer, Redacted } from "effect"
import * as IssueSourceJiraCloud from "../src/issue-source.jira-cloud.ts"

/**
 * The contract again over real HTTP, as the app runs the demo: the demo host routed by routeHosts to the
 * simulator's loopback server. No msw in this file, so requests really leave through fetch.
 */

const sim = createJiraSimulator()

const connection: JiraConnection = {
  site: SiteUrl.make(DEMO_SITE),
  email: DEMO_ACCOUNT.email,
  token: Redacted.make(DEMO_ACCOUNT.apiToken),
  cacheKey: "demo:1"
}

issueSourceContract(
  "Jira Cloud REST v3 against the simulator's loopback server, through routeHosts",
  () =>
    Layer.unwrap(
      Effect.acquireRelease(
        Effect.promise(() => startJiraSimulatorServer(sim)),
        (running) => Effect.promise(() => running.close())
      ).pipe(
        Effect.map((running) =>
          IssueSourceJiraCloud.layerFetch({ routeHosts: { [new URL(DEMO_SITE).host]: running.url } })
        )
      )
    ),
  {
    connection,
    wrongToken: { ...connection, token: Redacted.make("not-the-token") },
    accountEmail: DEMO_ACCOUNT.emailAddress,
    bigProjectKey: "DEMO",
    missingProjectKey: "NOPE"
  }
)
