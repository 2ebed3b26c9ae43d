import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { aTestWorld } from "@sciple/jira-core/testing"
import { createJiraSimulator, DEMO_ACCOUNT_SCOPED } from "@sciple/jira-simulator"
import { jiraSimulatorHandlers } from "@sciple/jira-simulator/msw"
import { Layer, ManagedRuntime } from "effect"
import { setupServer } from "msw/node"
import { demoSeed } from "../../demo/seed.ts"
import { makeInMemoryAccountStore } from "../support/account-store.in-memory.ts"

// The demo's seed with its scoped token, through the real adapter to the simulator (msw for its site and gateway).
const sim = createJiraSimulator()
const server = setupServer(...jiraSimulatorHandlers(sim))
beforeAll(() => server.listen({ onUnhandledFrame: "error" }))
afterAll(() => server.close())

describe("the demo seed", () => {
  it("connects the scoped demo token and records the gateway route and the site's cloudId", async () => {
    const world = aTestWorld({ now: new Date() })
    const runtime = ManagedRuntime.make(
      Layer.mergeAll(Layer.merge(world.layer, IssueSourceJiraCloud.layerFetch()), makeInMemoryAccountStore().layer)
    )
    try {
      await demoSeed(DEMO_ACCOUNT_SCOPED)(runtime)
      const config = [...world.config.state.configs.values()][0]
      expect(config).toMatchObject({ route: "gateway", cloudId: sim.cloudId })
      expect(config?.health).toMatchObject({ ok: true, route: "gateway", accountEmail: DEMO_ACCOUNT_SCOPED.email })
      expect(sim.calls.some((call) => call.via === "gateway" && call.status === 200)).toBe(true)
    } finally {
      await runtime.dispose()
    }
  })
})
