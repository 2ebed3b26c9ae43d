import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigStore, type ConnectionHealth, NotFound } from "@sciple/jira-core"
import { sql } from "drizzle-orm"
import { Effect, Schedule } from "effect"
import postgres from "postgres"
import { Change, changePayload, notifyChange, parseChange } from "../src/change-notices.ts"
import { openPostgres } from "../src/drizzle-database.postgres.ts"
import { DrizzleDatabase, type DrizzleDatabaseShape } from "../src/drizzle-database.ts"
import { selectRows, testDriver, testStoresLayer } from "../src/testing/index.ts"
import { aConfig, aCredential, anAudit, freshWorkspace } from "./support/fixtures.ts"

/** Subscribes for the test's scope and keeps every change heard. */
const record = (database: DrizzleDatabaseShape) =>
  Effect.gen(function* () {
    const heard: Array<Change> = []
    yield* database.notices((change) => heard.push(change))
    return heard
  })

/** Waits (up to 5 s) until `heard` holds a change equal to `change`. */
const waitFor = (heard: ReadonlyArray<Change>, change: Change) =>
  Effect.suspend(() =>
    heard.some((c) => changePayload(c) === changePayload(change))
      ? Effect.void
      : Effect.fail(new Error(`not heard: ${changePayload(change)}`))
  ).pipe(Effect.retry({ schedule: Schedule.spaced("5 millis"), times: 1000 }))

/** Waits (up to 10 s) until `condition` holds. */
const until = (condition: () => boolean) =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.fail(new Error("still waiting")))).pipe(
    Effect.retry({ schedule: Schedule.spaced("10 millis"), times: 1000 })
  )

const payloads = (heard: ReadonlyArray<Change>) => heard.map(changePayload)

/** A committed change to use as a marker: notices arrive in commit order, so once it is heard, earlier ones were too. */
const marker = (database: DrizzleDatabaseShape) => {
  const change = Change.workspace(`marker-${crypto.randomUUID()}`)
  return database
    .transaction<void, never>(async (tx) => {
      await notifyChange(tx, change)
    })
    .pipe(Effect.as(change))
}

const health: ConnectionHealth = {
  checkedAt: new Date("2026-01-02T03:04:05.678Z"),
  ok: true,
  accountEmail: "bot@example.test",
  accountName: "Bot",
  error: null,
  route: "site",
  cloudId: "1c5b2d4e-0a7f-4b8e-9c3d-2f6a8b1e4d70"
}

describe("change payloads", () => {
  it("round-trip, and an unknown one means anything changed", () => {
    const changes = [
      Change.workspace("ws-1"),
      Change.session("abc:def"),
      Change.sessions,
      Change.tokens,
      Change.account("u-1"),
      Change.jiraSite("https://acme.atlassian.net"),
      Change.everything
    ]
    for (const change of changes) expect(parseChange(changePayload(change))).toEqual(change)
    expect(changes.map(changePayload)).toEqual([
      "workspace:ws-1",
      "session:abc:def",
      "sessions",
      "token",
      "account:u-1",
      "jira-site:https://acme.atlassian.net",
      "*"
    ])
    expect(parseChange("billing:42")).toEqual(Change.everything)
    expect(parseChange("workspace:")).toEqual(Change.everything)
  })
})

describe(`change notices on ${testDriver()}`, () => {
  layer(testStoresLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
    it.effect("a committed write is heard; a rolled-back one never is", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const heard = yield* record(database)
        const rolledBack = Change.workspace("rolled-back")
        const aborted = yield* database
          .transaction<void, string>(async (tx, abort) => {
            await notifyChange(tx, rolledBack)
            abort("no")
          })
          .pipe(Effect.flip)
        expect(aborted).toBe("no")
        const thrown = yield* database
          .transaction<void, never>(async (tx) => {
            await notifyChange(tx, rolledBack)
            throw new Error("boom")
          })
          .pipe(Effect.flip)
        expect(thrown._tag).toBe("DatabaseFailure")

        yield* waitFor(heard, yield* marker(database))
        expect(payloads(heard)).not.toContain("workspace:rolled-back")
      }).pipe(Effect.scoped)
    )

    it.effect("every configuration and credential write tells its workspace; a refused one tells nothing", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const heard = yield* record(database)
        const tell = Change.workspace(workspaceId)

        const credential = aCredential(workspaceId, userId)
        yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
        yield* waitFor(heard, tell)
        const config = aConfig(credential)
        for (const write of [
          store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED")),
          store.updateConfig(
            aConfig(credential, { id: config.id, name: "Renamed", version: 2 }),
            1,
            anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED")
          ),
          store.recordHealth(workspaceId, health),
          store.updateCredential(
            aCredential(workspaceId, userId, { id: credential.id, name: credential.name, version: 2 }),
            anAudit(workspaceId, userId, "CREDENTIAL_ROTATED")
          ),
          store.deleteConfig(workspaceId, null, anAudit(workspaceId, userId, "JIRA_CONFIG_DELETED")),
          store.deleteCredential(
            workspaceId,
            credential.id,
            anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
            Effect.void
          )
        ]) {
          heard.length = 0
          yield* write
          yield* waitFor(heard, tell)
        }

        // Health of a workspace with no configuration: refused and rolled back, nothing is told.
        const other = yield* freshWorkspace
        heard.length = 0
        const missing = yield* store.recordHealth(other.workspaceId, health).pipe(Effect.flip)
        expect(missing).toBeInstanceOf(NotFound)
        yield* waitFor(heard, yield* marker(database))
        expect(payloads(heard)).not.toContain(`workspace:${other.workspaceId}`)
      }).pipe(Effect.scoped)
    )

    it.effect("a subscription ends with its scope; others go on hearing", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const kept = yield* record(database)
        const ended = yield* record(database).pipe(Effect.scoped)
        const change = yield* marker(database)
        yield* waitFor(kept, change)
        expect(ended).toEqual([])
      }).pipe(Effect.scoped)
    )

    if (testDriver() === "postgres") {
      /** A second instance's pool on the same test database. */
      const secondInstance = Effect.gen(function* () {
        const [row] = yield* selectRows(sql`select current_database() as name`)
        const url = new URL(process.env.DATABASE_URL ?? "")
        url.pathname = `/${String(row?.name)}`
        return yield* openPostgres(url.toString(), { migrate: false, closeTimeoutSeconds: 0.2 })
      })

      it.effect("another instance on the same database hears the change", () =>
        Effect.gen(function* () {
          const heard = yield* record(yield* secondInstance)
          const { workspaceId, userId } = yield* freshWorkspace
          yield* ConfigStore.use((store) =>
            store.createCredential(aCredential(workspaceId, userId), anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          )
          yield* waitFor(heard, Change.workspace(workspaceId))
        }).pipe(Effect.scoped)
      )

      it.effect("a lost listening connection says everything may have changed, listens again and says it again", () =>
        Effect.gen(function* () {
          const database = yield* DrizzleDatabase
          const heard = yield* record(database)
          const [row] = yield* selectRows(sql`select current_database() as name`)
          const name = String(row?.name)
          const admin = yield* Effect.acquireRelease(
            Effect.sync(() => postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} })),
            (client) => Effect.promise(() => client.end({ timeout: 1 }))
          )
          const everything = () => heard.filter((c) => c._tag === "Everything").length
          // The server refuses new connections while the listener is cut off: postgres.js's own listen gives up here.
          yield* Effect.promise(() => admin.unsafe(`alter database "${name}" allow_connections false`))
          const terminated = yield* Effect.promise(
            () => admin`select pg_terminate_backend(pid) from pg_stat_activity
                        where application_name = 'sciple-notices' and datname = ${name}`
          )
          expect(terminated.length).toBe(1)
          yield* until(() => everything() === 1)
          yield* Effect.sleep("400 millis")
          expect(everything()).toBe(1)
          yield* Effect.promise(() => admin.unsafe(`alter database "${name}" allow_connections true`))
          yield* until(() => everything() === 2)
          yield* waitFor(heard, yield* marker(database))
        }).pipe(Effect.scoped)
      )
    }

    it.effect("after close, subscribing fails with StoreUnavailable", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        yield* database.close
        const error = yield* database.notices(() => {}).pipe(Effect.scoped, Effect.flip)
        expect(error._tag).toBe("StoreUnavailable")
        expect(error.reason).toMatch(/closed/)
      })
    )
  })
})
