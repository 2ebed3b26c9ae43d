import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigStore, UserId, WorkspaceId } from "@sciple/jira-core"
import { sql } from "drizzle-orm"
import { Effect, Layer, Schema } from "effect"
import { layerPostgres } from "../src/drizzle-database.postgres.ts"
import { DrizzleDatabase } from "../src/drizzle-database.ts"
import { migrationsFolder } from "../src/migrations.ts"
import { selectRows, testDriver, testStoresLayer } from "../src/testing/index.ts"
import { aConfig, aCredential, anAudit, freshWorkspace } from "./support/fixtures.ts"

const Journal = Schema.Struct({ entries: Schema.Array(Schema.Unknown) })
const journalEntries = () =>
  Schema.decodeUnknownSync(Journal)(
    JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"))
  ).entries.length

const serializationFailure = () => Object.assign(new Error("could not serialize access"), { code: "40001" })

describe("DrizzleDatabase", () => {
  layer(testStoresLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
    it.effect("applies the migrations once; running them again changes nothing", () =>
      Effect.gen(function* () {
        yield* DrizzleDatabase.use((database) => database.migrate)
        yield* DrizzleDatabase.use((database) => database.migrate)
        const [applied] = yield* selectRows(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
        expect(applied?.n).toBe(journalEntries())
        yield* DrizzleDatabase.use((database) => database.ping)
      })
    )

    it.effect("retries a transaction that lost a serialization race, then gives up as unavailable", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        let attempts = 0
        const result = yield* database.transaction(async () => {
          attempts++
          if (attempts < 3) throw serializationFailure()
          return attempts
        })
        expect(result).toBe(3)

        let hopeless = 0
        const failure = yield* database
          .transaction(async () => {
            hopeless++
            throw serializationFailure()
          })
          .pipe(Effect.flip)
        expect(hopeless).toBe(5)
        expect(failure).toMatchObject({ kind: "unavailable", reason: "concurrent transactions kept conflicting" })
      })
    )

    // PGlite runs one backend inside this process: it cannot be terminated, only closed (see the PGlite tests).
    if (testDriver() === "postgres") {
      it.effect("a backend terminated mid-transaction gives StoreUnavailable and leaves nothing half-written", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* freshWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          // The server kills the session while it inserts the audit row, after the configuration row went in.
          yield* selectRows(
            sql.raw(`create function terminate_self() returns trigger language plpgsql as $$
              begin
                if new.actor_id = 'terminate-me' then perform pg_terminate_backend(pg_backend_pid()); end if;
                return new;
              end $$`)
          )
          yield* selectRows(
            sql.raw(`create trigger terminate_self before insert on audit_events
              for each row execute function terminate_self()`)
          )
          const error = yield* store
            .createConfig(aConfig(credential), anAudit(workspaceId, UserId.make("terminate-me"), "JIRA_CONFIG_CREATED"))
            .pipe(Effect.flip)
          expect(error._tag).toBe("StoreUnavailable")
          expect(error.message).toMatch(/^The database is unavailable: the (database server terminated|connection to)/)

          // The pool reconnects, and the half-done transaction was rolled back.
          expect(yield* store.getConfig(workspaceId)).toBeNull()
          const audit = yield* store.listAudit(workspaceId, { limit: 10, before: null })
          expect(audit.map((e) => e.action)).toEqual(["CREDENTIAL_CREATED"])
          yield* store.createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
        })
      )
    }

    // Last: it closes the database this file shares.
    it.effect("after close, every call fails with StoreUnavailable", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        yield* database.close
        const error = yield* DrizzleDatabase.use((database) => database.ping).pipe(Effect.flip)
        expect(error._tag).toBe("StoreUnavailable")
        expect(error.reason).toMatch(/closed/)
        const read = yield* ConfigStore.use((store) => store.listCredentials(WorkspaceId.make("ws-any"))).pipe(
          Effect.flip
        )
        expect(read._tag).toBe("StoreUnavailable")
        yield* database.close
      })
    )
  })
})

describe("opening an unreachable database", () => {
  it.live("fails with StoreUnavailable and a one-line reason", () =>
    Effect.gen(function* () {
      // Port 1 on the loopback: nothing listens there, the connection is refused at once.
      const refused = yield* Layer.build(layerPostgres("postgres://app:hunter2@127.0.0.1:1/app")).pipe(
        Effect.scoped,
        Effect.flip
      )
      expect(refused._tag).toBe("StoreUnavailable")
      expect(refused.message).toBe("The database is unavailable: the database server refused the connection")

      const malformed = yield* Layer.build(layerPostgres("postgres://app:hunter2@[::1/app")).pipe(
        Effect.scoped,
        Effect.flip
      )
      expect(malformed.message).toBe(
        "The database is unavailable: DATABASE_URL is not a valid PostgreSQL connection URL"
      )
    })
  )
})
