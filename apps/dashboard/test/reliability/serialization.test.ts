import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type DrizzleDatabaseShape, openPostgres } from "@sciple/drizzle-postgres"
import { DEMO_ACCOUNT, DEMO_SITE } from "@sciple/jira-simulator"
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
 * Serialization failures (SQLSTATE 40001) through the app: the database package runs a transaction again
 * when it loses a race. A planted failure shows the retry on both drivers; on PostgreSQL the database
 * defaults to SERIALIZABLE, so a real concurrent transaction makes the app's own write lose and retry.
 */

let database: FreshDatabase
let app: App
let admin: Client

const credentialBody = (name: string) => ({ name, username: DEMO_ACCOUNT.email, token: DEMO_ACCOUNT.apiToken })
const countWhere = (table: string, where = "true") =>
  count(app.db, `select count(*)::int as n from ${table} where ${where}`)

/** The first `limit` audit inserts fail with 40001; the sequence counts every attempt, rolled back or not. */
const planSerializationFailures = async (limit: number) => {
  for (const statement of [
    "create sequence if not exists reliability_attempts",
    "create table if not exists reliability_limit (n bigint not null)",
    "delete from reliability_limit",
    `insert into reliability_limit values (${limit})`,
    "alter sequence reliability_attempts restart with 1",
    `create or replace function reliability_serialize() returns trigger language plpgsql as $$
       begin
         if nextval('reliability_attempts') <= (select n from reliability_limit) then
           raise exception 'could not serialize access (planted by the test)' using errcode = '40001';
         end if;
         return new;
       end $$`,
    "drop trigger if exists reliability_serialize on audit_events",
    "create trigger reliability_serialize before insert on audit_events for each row execute function reliability_serialize()"
  ])
    await rows(app.db, statement)
}

/** How many times the audit insert ran since the plan (each a whole transaction attempt). */
const attempts = async () => Number((await rows(app.db, "select last_value from reliability_attempts"))[0]?.last_value)

beforeAll(async () => {
  // Every session of the app's PostgreSQL database runs SERIALIZABLE; PGlite has one session, so no real race.
  database = await freshDatabase(["alter database $DATABASE set default_transaction_isolation to 'serializable'"])
  app = await startApp(database)
  admin = await new Client(app.url).signIn()
})

afterAll(async () => {
  await app?.close()
  await database?.drop()
})

describe("a serialization failure under a write", () => {
  it("is retried as a whole transaction and the request succeeds with one row and one audit event", async () => {
    await planSerializationFailures(2)
    const created = await admin.api("POST", "/api/v1/credentials", credentialBody("Retried bot"))
    expect(created.status).toBe(201)
    // Two attempts lost (their credential row rolled back with them), the third committed.
    expect(await attempts()).toBe(3)
    const id = (created.json() as { id: string }).id
    expect(await countWhere("credentials", "name = 'Retried bot'")).toBe(1)
    expect(await countWhere("audit_events", `credential_id = '${id}' and action = 'CREDENTIAL_CREATED'`)).toBe(1)
    expect(await localSecretIds(database.dataDir)).toContain(id)
  })

  it("that persists ends in a typed 503 (API and page) after bounded retries, with nothing written", async () => {
    await planSerializationFailures(1_000)
    const auditBefore = await countWhere("audit_events")
    const secretsBefore = await localSecretIds(database.dataDir)

    const api = await admin.api("POST", "/api/v1/credentials", credentialBody("Hopeless bot"))
    expect(api.status).toBe(503)
    expect(api.type).toContain("application/problem+json")
    expect(problem(api)).toMatchObject({
      code: "StoreUnavailable",
      detail: "The database is unavailable: concurrent transactions kept conflicting"
    })
    // One attempt and four retries, then it gives up.
    expect(await attempts()).toBe(5)

    const page = await admin.form("/manage/credentials", credentialBody("Hopeless bot"))
    expect(page.status).toBe(503)
    expect(page.text).toContain("The database is unavailable: concurrent transactions kept conflicting")

    expect(await countWhere("credentials", "name = 'Hopeless bot'")).toBe(0)
    expect(await countWhere("audit_events")).toBe(auditBefore)
    // The secret written before the row was removed again.
    expect(await localSecretIds(database.dataDir)).toEqual(secretsBefore)

    await planSerializationFailures(0)
    expect((await admin.api("POST", "/api/v1/credentials", credentialBody("Hopeless bot"))).status).toBe(201)
  })
})

// A real 40001 needs two sessions racing on one row; PGlite serves the whole process from one session.
if (driver() === "postgres") {
  describe("a real SERIALIZABLE conflict (PostgreSQL)", () => {
    let scope: Scope.Closeable
    let other: DrizzleDatabaseShape
    let credentialId: string

    const configBody = (version: number, name: string) => ({
      version,
      name,
      baseUrl: DEMO_SITE,
      credentialId,
      defaultJql: ""
    })

    beforeAll(async () => {
      scope = Effect.runSync(Scope.make())
      other = await Effect.runPromise(
        openPostgres(database.url ?? "", { migrate: false, maxConnections: 2 }).pipe(Scope.provide(scope))
      )
      await rows(app.db, "drop trigger if exists reliability_serialize on audit_events")
      const created = await admin.api("POST", "/api/v1/credentials", credentialBody("Serializable bot"))
      credentialId = (created.json() as { id: string }).id
      const connected = await admin.api("POST", "/api/v1/jira/config", {
        name: "Demo Jira",
        baseUrl: DEMO_SITE,
        credentialId,
        defaultJql: ""
      })
      expect(connected.status).toBe(201)
    })

    afterAll(async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    })

    it("a change blocked by a concurrent transaction that commits first is retried and succeeds", async () => {
      expect((await rows(app.db, "show transaction_isolation"))[0]?.transaction_isolation).toBe("serializable")
      const version = ((await admin.api("GET", "/api/v1/jira/config")).json() as { config: { version: number } }).config
        .version
      const updatesBefore = await countWhere("audit_events", "action = 'JIRA_CONFIG_UPDATED'")
      // Sent while our transaction holds the row; answered only after it commits.
      const pending: { rename?: Promise<Reply> } = {}
      await Effect.runPromise(
        other.transaction(async (tx) => {
          // Touches the row without changing its version: only the snapshot conflict is left for the app.
          await tx.execute("update jira_configs set name = name")
          pending.rename = admin.api("PUT", "/api/v1/jira/config", configBody(version, "Renamed under contention"))
          await waitFor(
            "the app's update to wait for the row lock",
            async () =>
              (await count(
                other,
                "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
              )) > 0
          )
        })
      )
      // Our commit made the app's snapshot stale: it failed with 40001, ran again on a new snapshot and won.
      const renamed = await (pending.rename ?? Promise.reject(new Error("no request")))
      expect(renamed.status, renamed.text).toBe(200)
      expect(renamed.json()).toMatchObject({ name: "Renamed under contention", version: version + 1 })
      expect(await countWhere("audit_events", "action = 'JIRA_CONFIG_UPDATED'")).toBe(updatesBefore + 1)
    })

    it("concurrent changes of one version end with one 200, typed 409s, and one audit event", async () => {
      const version = ((await admin.api("GET", "/api/v1/jira/config")).json() as { config: { version: number } }).config
        .version
      const updatesBefore = await countWhere("audit_events", "action = 'JIRA_CONFIG_UPDATED'")
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) => admin.api("PUT", "/api/v1/jira/config", configBody(version, `Race ${i}`)))
      )
      const statuses = replies.map((r) => r.status).sort()
      expect(statuses.filter((s) => s === 200)).toHaveLength(1)
      expect(statuses.filter((s) => s === 409)).toHaveLength(replies.length - 1)
      for (const reply of replies.filter((r) => r.status === 409)) expect(problem(reply)?.code).toBe("StaleVersion")
      expect(await countWhere("audit_events", "action = 'JIRA_CONFIG_UPDATED'")).toBe(updatesBefore + 1)
      expect(await countWhere("jira_configs", `version = ${version + 1}`)).toBe(1)
    })
  })
}
