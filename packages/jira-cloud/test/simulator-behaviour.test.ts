import { createDefaultDataset, createJiraSimulator, DEMO_ACCOUNT, type SimProject } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { jiraBehaviourSuite } from "../src/testing/index.ts"

// The same behaviours the documented handlers hold the adapter to, against the simulator: the two cannot drift apart.
const site = "https://crowded.atlassian.net"
const base = createDefaultDataset()
const demo = base.projects.find((p) => p.key === "DEMO")
if (demo === undefined) throw new Error("the default dataset has no DEMO project")
/** 60 projects whose keys contain `DEMO`: a substring search cannot single out `DEMO` in its first 50. */
const crowded: SimProject[] = Array.from({ length: 60 }, (_, n) => ({
  ...demo,
  id: String(30_000 + n),
  key: `DEMO${String.fromCharCode(65 + Math.floor(n / 26))}${String.fromCharCode(65 + (n % 26))}`,
  name: `Demo team ${n}`
}))

const tokens = {
  classic: { email: DEMO_ACCOUNT.email, token: "sim-classic-token" },
  scoped: { email: DEMO_ACCOUNT.email, token: "sim-scoped-token-all" },
  scopedWithoutUser: { email: DEMO_ACCOUNT.email, token: "sim-scoped-token-work-only" },
  revoked: { email: DEMO_ACCOUNT.email, token: "sim-revoked-token" }
}

const sim = createJiraSimulator({
  site,
  dataset: { ...base, projects: [...crowded, ...base.projects] },
  accounts: [
    { ...DEMO_ACCOUNT, apiToken: tokens.classic.token },
    { ...DEMO_ACCOUNT, apiToken: tokens.scoped.token, scopes: ["read:jira-work", "read:jira-user"] },
    { ...DEMO_ACCOUNT, apiToken: tokens.scopedWithoutUser.token, scopes: ["read:jira-work"] },
    { ...DEMO_ACCOUNT, apiToken: tokens.revoked.token, revoked: true }
  ]
})

jiraBehaviourSuite({
  name: "the simulator, through msw",
  handlers: () => jiraSimulatorHandlers(sim),
  site,
  gatewayOrigin: "https://api.atlassian.com",
  tokens,
  projectKey: "DEMO"
})
