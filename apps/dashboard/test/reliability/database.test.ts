import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { openPostgres } from "@sciple/drizzle-postgres"
import {
  createJiraSimulator,
  DEMO_ACCOUNT,
  DEMO_SITE,
  type RunningServer,
  startJiraSimulatorServer
} from "@sciple/jira-simulator"
import { Effect, Exit, Scope } from "effect"
import {
  type App,
  Client,
  count,
  driver,
  type FreshDatabase,
  freshDatabase,
  localSecretIds,
  problem,
  type Reply,
  rows,
  startApp,
  waitFor
} from "../support/reliability.ts"

/**
 * The real app on the real database (PGlite, or PostgreSQL in CI's second run) while the database races,
 * fails half-way through a write, or (PostgreSQL) drops the app's connections: every request gets an
 * answer it can type, the process keeps serving, and no change exists without its audit event.
 */

let database: FreshDatabase
let simulator: RunningServer
let app: App
let admin: Client
let botId: string

const sim = createJiraSimulator()

const connectBody = () => ({ name: "Demo Jira", baseUrl: DEMO_SITE, credentialId: botId, defaultJql: "" })
const credentialBody = (name: string) => ({ name, username: DEMO_ACCOUNT.email, token: DEMO_ACCOUNT.apiToken })

const countWhere = (table: string, where = "true") =>
  count(app.db, `select count(*)::int as n from ${table} where ${where}`)

/**
 * Every credential row has its secret and one CREDENTIAL_CREATED; a secret without a row is only an interrupted
 * create whose pending record is still there (its row write and its settle both lost the database), which the
 * reconciliation job settles (adr/0028).
 */
const expectCredentialsWhole = async () => {
  const credentialIds = (await rows(app.db, "select id from credentials order by id")).map((r) => String(r.id))
  const pendingIds = (await rows(app.db, "select credential_id from pending_credentials")).map((r) =>
    String(r.credential_id)
  )
  const secretIds = await localSecretIds(database.dataDir)
  expect(credentialIds.filter((id) => !secretIds.includes(id))).toEqual([])
  expect(secretIds.filter((id) => !credentialIds.includes(id) && !pendingIds.includes(id))).toEqual([])
  const created = (await rows(app.db, "select credential_id from audit_events where action = 'CREDENTIAL_CREATED'"))
    .map((r) => String(r.credential_id))
    .sort()
  const deleted = (await rows(app.db, "select credential_id from audit_events where action = 'CREDENTIAL_DELETED'"))
    .map((r) => String(r.credential_id))
    .sort()
  expect(created.filter((id) => !deleted.includes(id))).toEqual(credentialIds)
}

/** A configuration exists exactly when the audit log says it was created more often than removed. */
const expectConfigWhole = async () => {
  const configs = await countWhere("jira_configs")
  const created = await countWhere("audit_events", "action = 'JIRA_CONFIG_CREATED'")
  const removed = await countWhere("audit_events", "action = 'JIRA_CONFIG_DELETED'")
  expect(configs).toBe(created - removed)
  return configs
}

/** Removes the connection at its current version (Remove requires one), when there is one. */
const removeCurrent = async () => {
  const current = await admin.api("GET", "/api/v1/jira/config")
  const config = current.status === 200 ? (current.json() as { config: { version: number } | null }).config : null
  return admin.api("DELETE", `/api/v1/jira/config?version=${config?.version ?? 1}`)
}

const disconnect = async () => {
  const reply = await removeCurrent()
  expect([204, 404]).toContain(reply.status)
}

beforeAll(async () => {
  database = await freshDatabase()
  simulator = await startJiraSimulatorServer(sim, { port: 0, host: "127.0.0.1" })
  app = await startApp(database, { start: { routeHosts: { [new URL(DEMO_SITE).host]: simulator.url } } })
  admin = await new Client(app.url).signIn()
  const created = await admin.api("POST", "/api/v1/credentials", credentialBody("Demo Jira bot"))
  expect(created.status).toBe(201)
  botId = (created.json() as { id: string }).id
})

afterAll(async () => {
  await app?.close()
  await simulator?.close()
  await database?.drop()
})

describe("unique races through the app", () => {
  it("concurrent connects end with one configuration, one JIRA_CONFIG_CREATED and typed 409s", async () => {
    await disconnect()
    const createdBefore = await countWhere("audit_events", "action = 'JIRA_CONFIG_CREATED'")
    // JSON API and the settings form, interleaved: both paths race for the one row.
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 2
          ? admin.form("/manage/integrations/jira", { ...connectBody(), version: "" })
          : admin.api("POST", "/api/v1/jira/config", connectBody())
      )
    )
    const won = replies.filter((r) => r.status === 201 || r.status === 303)
    const lost = replies.filter((r) => r.status === 409)
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(replies.length - 1)
    for (const reply of lost) {
      if (reply.type.includes("json")) expect(problem(reply)?.code).toBe("AlreadyConnected")
      else expect(reply.text).toContain("already has a Jira connection")
    }
    expect(await countWhere("jira_configs")).toBe(1)
    expect(await countWhere("audit_events", "action = 'JIRA_CONFIG_CREATED'")).toBe(createdBefore + 1)
    await expectConfigWhole()
  })

  it("concurrent creates of one credential name end with one row, one audit event, one secret and typed 422s", async () => {
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 2
          ? admin.form("/manage/credentials", credentialBody("Race bot"))
          : admin.api("POST", "/api/v1/credentials", credentialBody("Race bot"))
      )
    )
    const won = replies.filter((r) => r.status === 201 || r.status === 303)
    const lost = replies.filter((r) => r.status === 422)
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(replies.length - 1)
    for (const reply of lost) {
      if (reply.type.includes("json")) {
        expect(problem(reply)?.code).toBe("InvalidInput")
        expect((reply.json() as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(["name"])
      } else expect(reply.text).toMatch(/already/i)
    }
    expect(await countWhere("credentials", "name = 'Race bot'")).toBe(1)
    // The losers' secrets were written before the row lost the race, and removed again.
    await expectCredentialsWhole()
  })
})

/** Makes the next audit insert fail as a full disk would: after the change's own row, before the commit. */
const ARM_FAULT = [
  "create table if not exists reliability_fault (armed boolean not null)",
  "delete from reliability_fault",
  "insert into reliability_fault values (true)",
  `create or replace function reliability_fail() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from reliability_fault where armed) then
         raise exception 'disk full (planted by the test)' using errcode = '53100';
       end if;
       return new;
     end $$`,
  "drop trigger if exists reliability_fail on audit_events",
  "create trigger reliability_fail before insert on audit_events for each row execute function reliability_fail()"
]

describe("a write the database fails half-way", () => {
  it("answers a typed 503 on the API and a page with the message, keeps serving, and leaves nothing half-written", async () => {
    await disconnect()
    const auditBefore = await countWhere("audit_events")
    for (const statement of ARM_FAULT) await rows(app.db, statement)
    try {
      const connect = await admin.api("POST", "/api/v1/jira/config", connectBody())
      expect(connect.status).toBe(503)
      expect(connect.type).toContain("application/problem+json")
      expect(problem(connect)).toMatchObject({
        code: "StoreUnavailable",
        detail: "The database is unavailable: the database is out of resources"
      })
      const form = await admin.form("/manage/credentials", credentialBody("Half-written bot"))
      expect(form.status).toBe(503)
      expect(form.type).toContain("text/html")
      expect(form.text).toContain("The database is unavailable")
      const rename = await admin.api("POST", "/api/v1/credentials", credentialBody("Half-written bot"))
      expect(problem(rename)?.code).toBe("StoreUnavailable")

      // Reads and sign-in do not write an audit event: they keep working meanwhile.
      expect((await admin.api("GET", "/api/v1/credentials")).status).toBe(200)
      expect((await admin.page("/manage/credentials")).status).toBe(200)
      expect((await new Client(app.url).signIn()).cookie).not.toBe("")

      expect(await countWhere("jira_configs")).toBe(0)
      expect(await countWhere("credentials", "name = 'Half-written bot'")).toBe(0)
      expect(await countWhere("audit_events")).toBe(auditBefore)
      await expectCredentialsWhole()
    } finally {
      await rows(app.db, "delete from reliability_fault")
    }
    // The same requests again, once the database takes writes.
    expect((await admin.api("POST", "/api/v1/jira/config", connectBody())).status).toBe(201)
    expect((await admin.form("/manage/credentials", credentialBody("Half-written bot"))).status).toBe(303)
    expect(await expectConfigWhole()).toBe(1)
    await expectCredentialsWhole()
  })
})

// PGlite runs its one backend inside the app's process: there is no connection to lose. The half-way
// failure above is its equivalent; this case needs a server that can terminate the app's sessions.
if (driver() === "postgres") {
  describe("the app's connections terminated while requests run (PostgreSQL)", () => {
    it("answers 2xx or a typed 503, stays up, reconnects, and leaves nothing half-written", async () => {
      const appDatabase = new URL(database.url ?? "").pathname.slice(1)
      const scope = Effect.runSync(Scope.make())
      // The terminating connection belongs to the server's own database, so it never terminates itself.
      const killer = await Effect.runPromise(
        openPostgres(process.env.DATABASE_URL ?? "", { migrate: false, maxConnections: 1 }).pipe(Scope.provide(scope))
      )
      const backends = () =>
        count(killer, `select count(*)::int as n from pg_stat_activity where datname = '${appDatabase}'`)
      const terminate = () =>
        rows(
          killer,
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${appDatabase}' and pid <> pg_backend_pid()`
        )

      try {
        const acknowledged: Array<string> = []
        const replies: Array<{ what: string; reply: Reply }> = []
        let stop = false
        const kinds: ReadonlyArray<{ what: string; send: (i: number) => Promise<Reply> }> = [
          { what: "api read", send: () => admin.api("GET", "/api/v1/credentials") },
          { what: "config read", send: () => admin.api("GET", "/api/v1/jira/config") },
          { what: "summary", send: () => admin.api("GET", "/api/v1/jira/summary") },
          { what: "page", send: () => admin.page("/manage/credentials") },
          { what: "audit page", send: () => admin.page("/manage/audit") },
          {
            what: "create",
            send: async (i) => {
              const reply = await admin.api("POST", "/api/v1/credentials", credentialBody(`Outage bot ${i}`))
              if (reply.status === 201) acknowledged.push((reply.json() as { id: string }).id)
              return reply
            }
          },
          { what: "connect", send: () => admin.api("POST", "/api/v1/jira/config", connectBody()) },
          { what: "disconnect", send: () => removeCurrent() }
        ]
        let sent = 0
        const worker = async (w: number) => {
          while (!stop) {
            const kind = kinds[(w + sent) % kinds.length]!
            const i = sent++
            replies.push({ what: kind.what, reply: await kind.send(i) })
          }
        }
        const workers = Array.from({ length: 8 }, (_, w) => worker(w))
        // Five rounds: kill every session of the app's database, then wait for the pool to open new ones.
        for (let round = 0; round < 5; round++) {
          await waitFor("the app to reconnect", async () => (await backends()) > 0)
          await terminate()
        }
        stop = true
        await Promise.all(workers)

        const failed = replies.filter(({ reply }) => reply.status >= 500)
        expect(failed.length, "some requests met the outage").toBeGreaterThan(0)
        for (const { what, reply } of failed) {
          expect(reply.status, `${what}: ${reply.text.slice(0, 300)}`).toBe(503)
          if (reply.type.includes("json")) expect(problem(reply)?.code, what).toBe("StoreUnavailable")
          else expect(reply.text, what).toContain("The database is unavailable")
        }
        for (const { what, reply } of replies.filter(({ reply }) => reply.status < 500))
          expect([200, 201, 204, 404, 409], what).toContain(reply.status)

        // Up; once the pool has replaced its connections every surface answers again, and keeps doing so.
        expect((await admin.page("/healthz")).status).toBe(200)
        expect([201, 409]).toContain((await admin.api("POST", "/api/v1/jira/config", connectBody())).status)
        let n = 0
        const round = async () => {
          const answers = await Promise.all([
            admin.api("GET", "/api/v1/credentials"),
            admin.page("/manage/credentials"),
            admin.api("GET", "/api/v1/jira/summary"),
            admin.api("POST", "/api/v1/credentials", credentialBody(`After the outage ${n++}`))
          ])
          return answers.map((r) => r.status)
        }
        await waitFor("every surface to answer", async () => (await round()).every((s) => s < 300), 5_000)
        for (let i = 0; i < 5; i++) expect(await round()).toEqual([200, 200, 200, 201])

        // Every acknowledged create is there; nothing exists without its audit event or its secret.
        const stored = new Set((await rows(app.db, "select id from credentials")).map((r) => String(r.id)))
        for (const id of acknowledged) expect(stored.has(id)).toBe(true)
        await expectCredentialsWhole()
        await expectConfigWhole()
      } finally {
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    })
  })
}
