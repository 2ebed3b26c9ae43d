import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  createJiraSimulator,
  DEMO_ACCOUNT,
  DEMO_SITE,
  type RunningServer,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import { StartupError } from "../../src/server.ts"
import {
  type App,
  Client,
  count,
  driver,
  type FreshDatabase,
  freshDatabase,
  localSecretIds,
  problem,
  rows,
  startApp
} from "../support/reliability.ts"

/**
 * Two instances of the app behind one load balancer: one PostgreSQL database, one shared data folder for
 * the local secret store, and a Jira cache each. PGlite is one process's database, so there a second
 * instance must refuse the folder instead.
 */

const sim = createJiraSimulator()
let simulator: RunningServer
let database: FreshDatabase

beforeAll(async () => {
  database = await freshDatabase()
  simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
})

afterAll(async () => {
  await simulator?.close()
  await database?.drop()
})

const startInstance = () => startApp(database, { start: { routeHosts: { [new URL(DEMO_SITE).host]: simulator.url } } })

if (driver() === "pglite") {
  describe("a second instance on one embedded database", () => {
    it("refuses to start with a one-line reason, and the first keeps serving", async () => {
      const first = await startInstance()
      try {
        const error = await startInstance().then(
          (second) => second.close().then(() => null),
          (thrown: unknown) => thrown
        )
        expect(error).toBeInstanceOf(StartupError)
        const message = error instanceof Error ? error.message : ""
        expect(message).toMatch(/^cannot open the database: .*already open in process \d+/)
        expect(message.split("\n")).toHaveLength(1)
        const client = await new Client(first.url).signIn()
        expect((await client.api("GET", "/api/v1/credentials")).status).toBe(200)
      } finally {
        await first.close()
      }
    })
  })
}

// Only a database server can be shared by two processes; see above for what PGlite does instead.
if (driver() === "postgres") {
  describe("two instances on one PostgreSQL database", () => {
    let a: App
    let b: App
    let onA: Client
    let onB: Client
    let credentialId: string

    beforeAll(async () => {
      // One after the other: the first creates the administrator from ADMIN_EMAIL, the second finds it.
      a = await startInstance()
      b = await startInstance()
      onA = await new Client(a.url).signIn()
      onB = new Client(b.url)
    })

    afterAll(async () => {
      await a?.close()
      await b?.close()
    })

    const countWhere = (table: string, where = "true") =>
      count(a.db, `select count(*)::int as n from ${table} where ${where}`)

    it("a session started on one instance works on the other", async () => {
      onB.cookie = onA.cookie
      const config = await onB.api("GET", "/api/v1/jira/config")
      expect(config.status).toBe(200)
      const page = await onB.page("/manage/credentials")
      expect(page.status).toBe(200)
      expect(page.text).toContain("admin@reliability.test")
      // Signing out on B ends the session for A as well.
      const other = await new Client(a.url).signIn()
      const onBToo = new Client(b.url)
      onBToo.cookie = other.cookie
      expect((await onBToo.form("/logout", {})).status).toBe(303)
      expect((await other.api("GET", "/api/v1/jira/config")).status).toBe(401)
    })

    it("concurrent creates and connects from both end with one row and one audit event each", async () => {
      const creates = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? onA : onB).api("POST", "/api/v1/credentials", {
            name: "Shared bot",
            username: DEMO_ACCOUNT.email,
            token: DEMO_ACCOUNT.apiToken
          })
        )
      )
      const created = creates.filter((r) => r.status === 201)
      expect(created).toHaveLength(1)
      for (const reply of creates.filter((r) => r.status !== 201)) {
        expect(reply.status).toBe(422)
        expect(problem(reply)?.code).toBe("InvalidInput")
      }
      credentialId = ((created[0]?.json() ?? {}) as { id: string }).id
      expect(await countWhere("credentials")).toBe(1)
      expect(await countWhere("audit_events", "action = 'CREDENTIAL_CREATED'")).toBe(1)
      // The instances share the secret folder: the losers on both removed their secrets again.
      expect(await localSecretIds(database.dataDir)).toEqual([credentialId])

      const connects = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? onA : onB).api("POST", "/api/v1/jira/config", {
            name: "Demo Jira",
            baseUrl: DEMO_SITE,
            credentialId,
            defaultJql: ""
          })
        )
      )
      expect(connects.filter((r) => r.status === 201)).toHaveLength(1)
      for (const reply of connects.filter((r) => r.status !== 201)) {
        expect(reply.status).toBe(409)
        expect(problem(reply)?.code).toBe("AlreadyConnected")
      }
      expect(await countWhere("jira_configs")).toBe(1)
      expect(await countWhere("audit_events", "action = 'JIRA_CONFIG_CREATED'")).toBe(1)
    })

    it("a configuration change on one is what the other shows once the notice arrives, not its cached answer", async () => {
      interface Summary {
        readonly jql: string
        readonly split: {
          readonly open: number
          readonly todo: number
          readonly inProgress: number
          readonly done: number
        }
      }
      const summaryOn = async (client: Client, query = "") => {
        const reply = await client.api("GET", `/api/v1/jira/summary${query}`)
        expect(reply.status, reply.text).toBe(200)
        return reply.json() as Summary
      }
      // B answers from its cache once it has the answer: the second read reaches no Jira.
      const before = await summaryOn(onB)
      const calls = sim.calls.length
      expect(await summaryOn(onB)).toEqual(before)
      expect(sim.calls.length).toBe(calls)

      const { config } = (await onA.api("GET", "/api/v1/jira/config")).json() as { config: { version: number } }
      const jql = "project = OPS"
      const changed = await onA.api("PUT", "/api/v1/jira/config", {
        version: config.version,
        name: "Demo Jira",
        baseUrl: DEMO_SITE,
        credentialId,
        defaultJql: jql
      })
      expect(changed.status, changed.text).toBe(200)

      // B serves the change as soon as A's change notice reaches it: asked until then, within 2.5 s, well inside
      // its caches' 5 s TTL (so the notice dropped them, not time). Not read-your-writes (src/caching/README.md).
      const callsBeforeB = sim.calls.length
      const asked = performance.now()
      let after = await summaryOn(onB)
      while (after.jql !== jql && performance.now() - asked < 2_500) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        after = await summaryOn(onB)
      }
      expect(after.jql).toBe(jql)
      expect(sim.calls.length).toBeGreaterThan(callsBeforeB)
      // The counts are the new scope's, as the simulator's own JQL engine and instance A see them.
      const expected = sim.search(jql, { account: sim.accounts[0] ?? null }).length
      expect(after.split.todo + after.split.inProgress + after.split.done).toBe(expected)
      expect(after.split).not.toEqual(before.split)
      expect((await summaryOn(onA, "?refresh=1")).split).toEqual(after.split)

      // The page's widget too, on B's next request.
      const home = await onB.page("/")
      expect(home.status).toBe(200)
      expect(home.text).toContain(`<code class="jql">${jql}</code>`)
      expect((await rows(b.db, "select default_jql from jira_configs"))[0]?.default_jql).toBe(jql)
    })
  })
}
