import { describe, expect, layer } from "@effect/vitest"
import {
  AuditEvent,
  AuditEventId,
  asManager,
  ConfigStore,
  ConnectionHealth,
  Credential,
  CredentialId,
  connectJira,
  createCredential,
  JiraConfig,
  Principal,
  permissionsOf,
  SiteUrl,
  updateJira,
  WorkspaceId
} from "@sciple/jira-core"
import {
  aFakeSite,
  FAKE_EMAIL,
  FAKE_SITE,
  FAKE_TOKEN,
  makeFakeIssueSource,
  makeInMemorySecretStore
} from "@sciple/jira-core/testing"
import { sql } from "drizzle-orm"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import { DrizzleDatabase } from "../src/drizzle-database.ts"
import { selectRows, testStoresLayer } from "../src/testing/index.ts"
import { aConfig, aCredential, anAudit, freshWorkspace, IdsRandom } from "./support/fixtures.ts"

const auditOf = (workspaceId: WorkspaceId) =>
  ConfigStore.use((store) => store.listAudit(workspaceId, { limit: 500, before: null }))

const actionsOf = (events: ReadonlyArray<AuditEvent>) => events.map((event) => event.action).sort()

/** Skips the domain's own checks, to play a caller that did not validate. */
const unchecked = { disableChecks: true } as const

/** Core's use cases over this store, with the in-memory SecretStore and IssueSource fakes. */
const aManager = Effect.gen(function* () {
  const { workspaceId, userId } = yield* freshWorkspace
  const principal = new Principal({ userId, workspaceId, permissions: [...permissionsOf("admin")] })
  const world = Layer.mergeAll(
    makeInMemorySecretStore().layer,
    makeFakeIssueSource({ [FAKE_SITE]: aFakeSite() }).layer,
    IdsRandom
  )
  const run = <A, E, R>(useCase: Effect.Effect<A, E, R>) => useCase.pipe(asManager(principal), Effect.provide(world))
  const credential = yield* run(
    createCredential({ name: "Jira bot", username: FAKE_EMAIL, token: Redacted.make(FAKE_TOKEN) })
  )
  return { workspaceId, userId, run, credential }
})

describe("ConfigStoreDrizzle", () => {
  layer(testStoresLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
    it.effect("a failing audit insert leaves the configuration as it was: create, update and delete", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const credential = aCredential(workspaceId, userId)
        const first = anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: credential.id })
        yield* store.createCredential(credential, first)
        // Reusing an audit id makes the audit insert fail after the change itself was written.
        const failing = (action: AuditEvent["action"]) => anAudit(workspaceId, userId, action, { id: first.id })

        const create = yield* store.createConfig(aConfig(credential), failing("JIRA_CONFIG_CREATED")).pipe(Effect.flip)
        expect(create._tag).toBe("StoreUnavailable")
        expect(yield* store.getConfig(workspaceId)).toBeNull()

        const config = aConfig(credential)
        yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
        const renamed = new JiraConfig({ ...config, name: "Renamed", version: 2 })
        const update = yield* store.updateConfig(renamed, 1, failing("JIRA_CONFIG_UPDATED")).pipe(Effect.flip)
        expect(update._tag).toBe("StoreUnavailable")
        expect(yield* store.getConfig(workspaceId)).toEqual(config)

        const remove = yield* store.deleteConfig(workspaceId, 1, failing("JIRA_CONFIG_DELETED")).pipe(Effect.flip)
        expect(remove._tag).toBe("StoreUnavailable")
        expect(yield* store.getConfig(workspaceId)).toEqual(config)

        expect(actionsOf(yield* auditOf(workspaceId))).toEqual(["CREDENTIAL_CREATED", "JIRA_CONFIG_CREATED"])
      })
    )

    it.effect("a failing audit insert leaves credentials as they were: create, rotate and delete", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const credential = aCredential(workspaceId, userId)
        const first = anAudit(workspaceId, userId, "CREDENTIAL_CREATED")
        yield* store.createCredential(credential, first)
        const failing = (action: AuditEvent["action"]) => anAudit(workspaceId, userId, action, { id: first.id })

        const other = aCredential(workspaceId, userId)
        expect((yield* store.createCredential(other, failing("CREDENTIAL_CREATED")).pipe(Effect.flip))._tag).toBe(
          "StoreUnavailable"
        )
        const rotated = new Credential({ ...credential, version: 2 })
        expect((yield* store.updateCredential(rotated, failing("CREDENTIAL_ROTATED")).pipe(Effect.flip))._tag).toBe(
          "StoreUnavailable"
        )
        const remove = yield* store
          .deleteCredential(workspaceId, credential.id, failing("CREDENTIAL_DELETED"), Effect.void)
          .pipe(Effect.flip)
        expect(remove._tag).toBe("StoreUnavailable")

        expect(yield* store.listCredentials(workspaceId)).toEqual([credential])
        expect(actionsOf(yield* auditOf(workspaceId))).toEqual(["CREDENTIAL_CREATED"])
      })
    )

    it.effect("an audit event the database refuses takes the change down with it", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const credential = aCredential(workspaceId, userId)
        yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
        // An id longer than core allows: the audit row's CHECK constraint fails, after the change was written.
        const refused = (action: AuditEvent["action"]) =>
          new AuditEvent(
            { ...anAudit(workspaceId, userId, action), id: AuditEventId.make("x".repeat(65), unchecked) },
            unchecked
          )
        const created = yield* store.createConfig(aConfig(credential), refused("JIRA_CONFIG_CREATED")).pipe(Effect.flip)
        expect(created).toMatchObject({ _tag: "InvalidInput", fields: [{ field: "audit.id" }] })
        expect(yield* store.getConfig(workspaceId)).toBeNull()
        const other = yield* store
          .createCredential(aCredential(workspaceId, userId), refused("CREDENTIAL_CREATED"))
          .pipe(Effect.flip)
        expect(other._tag).toBe("InvalidInput")
        expect(yield* store.listCredentials(workspaceId)).toEqual([credential])
      })
    )

    it.effect("stores the audit event faithfully: credential reference and changes as a jsonb array", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const credential = aCredential(workspaceId, userId)
        yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
        const event = anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED", {
          credentialId: credential.id,
          at: new Date("2026-05-06T07:08:09.123Z"),
          changes: [
            { field: "defaultJql", from: null, to: 'project = "ÄÖ" AND text ~ "\\"x\\""' },
            { field: "name", from: "Old 'quoted' name", to: null }
          ]
        })
        yield* store.createConfig(aConfig(credential), event)
        const stored = (yield* auditOf(workspaceId)).find((e) => e.id === event.id)
        expect(stored).toEqual(event)
        const [raw] = yield* selectRows(
          sql`select jsonb_typeof(changes) as kind, credential_id from audit_events where id = ${event.id}`
        )
        expect(raw).toEqual({ kind: "array", credential_id: credential.id })
      })
    )

    it.effect("the database itself refuses to change or remove audit rows", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        yield* store.createCredential(
          aCredential(workspaceId, userId),
          anAudit(workspaceId, userId, "CREDENTIAL_CREATED")
        )
        const before = yield* auditOf(workspaceId)
        for (const statement of [
          sql`update audit_events set action = 'CREDENTIAL_DELETED' where workspace_id = ${workspaceId}`,
          sql`delete from audit_events where workspace_id = ${workspaceId}`,
          sql`truncate audit_events`
        ]) {
          const failure = yield* selectRows(statement).pipe(Effect.flip)
          expect(failure._tag).toBe("DatabaseFailure")
        }
        expect(yield* auditOf(workspaceId)).toEqual(before)
      })
    )

    it.effect(
      "50 concurrent connects through the use case: one configuration, one audit event, 49 AlreadyConnected",
      () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, run, credential } = yield* aManager
          const results = yield* Effect.all(
            Array.from({ length: 50 }, () =>
              run(connectJira({ name: "Acme", baseUrl: FAKE_SITE, credentialId: credential.id, defaultJql: "" })).pipe(
                Effect.result
              )
            ),
            { concurrency: "unbounded" }
          )
          const winners = results.flatMap((r) => (r._tag === "Success" ? [r.success] : []))
          const losers = results.flatMap((r) => (r._tag === "Failure" ? [r.failure._tag] : []))
          expect(winners).toHaveLength(1)
          expect(losers).toEqual(Array.from({ length: 49 }, () => "AlreadyConnected"))
          expect(yield* store.getConfig(workspaceId)).toEqual(winners[0])
          const created = (yield* auditOf(workspaceId)).filter((e) => e.action === "JIRA_CONFIG_CREATED")
          expect(created).toHaveLength(1)
          expect(created[0]?.credentialId).toBe(credential.id)
        })
    )

    it.effect("an update based on a stale version is refused with StaleVersion and changes nothing", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, run, credential } = yield* aManager
        const input = { name: "Acme", baseUrl: FAKE_SITE, credentialId: credential.id, defaultJql: "" }
        yield* run(connectJira(input))
        const current = yield* run(updateJira({ ...input, name: "Acme Jira" }, 1))
        const stale = yield* run(updateJira({ ...input, name: "Someone else's edit" }, 1)).pipe(Effect.flip)
        expect(stale).toMatchObject({ _tag: "StaleVersion", expected: 1, actual: 2 })
        expect(yield* store.getConfig(workspaceId)).toEqual(current)
        expect((yield* auditOf(workspaceId)).filter((e) => e.action === "JIRA_CONFIG_UPDATED")).toHaveLength(1)
      })
    )

    it.effect("two concurrent updates of one version: one wins, the other is StaleVersion", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const credential = aCredential(workspaceId, userId)
        yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
        const config = aConfig(credential)
        yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
        const edits = ["Left", "Right"].map((name) => ({
          config: new JiraConfig({ ...config, name, version: 2 }),
          audit: anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED")
        }))
        const results = yield* Effect.all(
          edits.map((edit) => store.updateConfig(edit.config, 1, edit.audit).pipe(Effect.result)),
          { concurrency: "unbounded" }
        )
        const winner = edits[results.findIndex((r) => r._tag === "Success")]
        expect(results.filter((r) => r._tag === "Failure" && r.failure._tag === "StaleVersion")).toHaveLength(1)
        expect(yield* store.getConfig(workspaceId)).toEqual(winner?.config)
        const updates = (yield* auditOf(workspaceId)).filter((e) => e.action === "JIRA_CONFIG_UPDATED")
        expect(updates.map((e) => e.id)).toEqual([winner?.audit.id])
      })
    )

    it.effect("no write of one workspace reaches another's rows", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const one = yield* freshWorkspace
        const two = yield* freshWorkspace
        const credential = aCredential(one.workspaceId, one.userId)
        yield* store.createCredential(credential, anAudit(one.workspaceId, one.userId, "CREDENTIAL_CREATED"))
        const config = aConfig(credential)
        yield* store.createConfig(config, anAudit(one.workspaceId, one.userId, "JIRA_CONFIG_CREATED"))
        const inTwo = (action: AuditEvent["action"]) => anAudit(two.workspaceId, two.userId, action)

        // The configuration's foreign key is (workspace_id, credential_id): another workspace's credential is unknown.
        const borrowed = yield* store
          .createConfig(aConfig(credential, { workspaceId: two.workspaceId }), inTwo("JIRA_CONFIG_CREATED"))
          .pipe(Effect.flip)
        expect(borrowed).toMatchObject({ _tag: "InvalidInput", fields: [{ field: "credentialId" }] })
        expect(yield* store.getConfig(two.workspaceId)).toBeNull()

        const hijack = new JiraConfig({ ...config, workspaceId: two.workspaceId, name: "Hijacked", version: 2 })
        expect((yield* store.updateConfig(hijack, 1, inTwo("JIRA_CONFIG_UPDATED")).pipe(Effect.flip))._tag).toBe(
          "NotFound"
        )
        const rotated = new Credential({ ...credential, workspaceId: two.workspaceId, version: 2 })
        expect((yield* store.updateCredential(rotated, inTwo("CREDENTIAL_ROTATED")).pipe(Effect.flip))._tag).toBe(
          "NotFound"
        )
        const health = new ConnectionHealth({
          checkedAt: new Date(),
          ok: true,
          accountEmail: "x@example.test",
          accountName: "X",
          error: null,
          route: null,
          cloudId: null
        })
        expect((yield* store.recordHealth(two.workspaceId, health).pipe(Effect.flip))._tag).toBe("NotFound")

        // The same credential id in another workspace is another credential.
        const twin = aCredential(two.workspaceId, two.userId, { id: credential.id, name: credential.name })
        yield* store.createCredential(twin, inTwo("CREDENTIAL_CREATED"))
        expect(yield* store.getCredential(two.workspaceId, credential.id)).toEqual(twin)

        expect(yield* store.getConfig(one.workspaceId)).toEqual(config)
        expect(yield* store.listCredentials(one.workspaceId)).toEqual([credential])
        expect(actionsOf(yield* auditOf(one.workspaceId))).toEqual(["CREDENTIAL_CREATED", "JIRA_CONFIG_CREATED"])
        expect(actionsOf(yield* auditOf(two.workspaceId))).toEqual(["CREDENTIAL_CREATED"])

        // An audit event of another workspace than its change is a bug in the caller: a defect, nothing written.
        const misfiled = yield* store
          .createCredential(
            aCredential(two.workspaceId, two.userId),
            anAudit(one.workspaceId, one.userId, "CREDENTIAL_CREATED")
          )
          .pipe(Effect.exit)
        expect(Exit.isFailure(misfiled) && Cause.hasDies(misfiled.cause)).toBe(true)
        expect(yield* store.listCredentials(two.workspaceId)).toEqual([twin])
      })
    )

    it.effect("values the domain would refuse get a typed error at the database edge, never a driver error", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const tooLong = "x".repeat(5000)
        const audit = () => anAudit(workspaceId, userId, "CREDENTIAL_CREATED")
        const base = aCredential(workspaceId, userId)
        const credentialWith = (overrides: Partial<Credential>) => new Credential({ ...base, ...overrides }, unchecked)

        const refusedCredentials: Array<readonly [Partial<Credential>, string]> = [
          [{ name: tooLong }, "name"],
          [{ id: CredentialId.make("not an id!", unchecked) }, "id"],
          [{ username: tooLong }, "username"],
          // PostgreSQL text cannot hold NUL (22021).
          [{ username: "bot\u0000@example.test" }, "value"]
        ]
        for (const [overrides, field] of refusedCredentials) {
          const error = yield* store.createCredential(credentialWith(overrides), audit()).pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "InvalidInput", fields: [{ field }] })
          expect(error.message).not.toContain("xxxxxxxxxx")
          expect(error.message).not.toContain("not an id!")
        }
        expect(yield* store.listCredentials(workspaceId)).toEqual([])

        yield* store.createCredential(base, audit())
        const configWith = (overrides: Partial<JiraConfig>) =>
          new JiraConfig({ ...aConfig(base), ...overrides }, unchecked)
        for (const [overrides, field] of [
          [{ defaultJql: tooLong }, "defaultJql"],
          [{ baseUrl: SiteUrl.make("http://evil.example", unchecked) }, "baseUrl"],
          [{ name: "" }, "name"]
        ] as const) {
          const error = yield* store
            .createConfig(configWith(overrides), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
            .pipe(Effect.flip)
          expect(error).toMatchObject({ _tag: "InvalidInput", fields: [{ field }] })
          expect(error.message).not.toContain("evil")
        }
        const config = aConfig(base)
        yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
        const oversized = new JiraConfig({ ...config, name: tooLong, version: 2 }, unchecked)
        const update = yield* store
          .updateConfig(oversized, 1, anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED"))
          .pipe(Effect.flip)
        expect(update).toMatchObject({ _tag: "InvalidInput", fields: [{ field: "name" }] })

        const health = new ConnectionHealth({
          checkedAt: new Date(),
          ok: false,
          accountEmail: null,
          accountName: null,
          error: tooLong,
          route: null,
          cloudId: null
        })
        const recorded = yield* store.recordHealth(workspaceId, health).pipe(Effect.flip)
        expect(recorded._tag).toBe("StoreUnavailable")
        expect(recorded.message).not.toContain("xxxxxxxxxx")
        expect(yield* store.getConfig(workspaceId)).toEqual(config)

        // Reads with ids no row can have simply find nothing.
        const strange = CredentialId.make(`${tooLong}'; drop table credentials; --`, unchecked)
        expect((yield* store.getCredential(workspaceId, strange).pipe(Effect.flip))._tag).toBe("NotFound")
        expect(yield* store.getConfig(WorkspaceId.make("nö such wörkspace", unchecked))).toBeNull()
        expect(yield* store.listCredentials(workspaceId)).toEqual([base])
      })
    )

    it.effect("pages the audit log by (at, id) through its index", () =>
      Effect.gen(function* () {
        const store = yield* ConfigStore
        const { workspaceId, userId } = yield* freshWorkspace
        const events = Array.from({ length: 9 }, (_, i) =>
          anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 3)) })
        )
        for (const event of events) yield* store.createCredential(aCredential(workspaceId, userId), event)
        const pages: Array<ReadonlyArray<AuditEvent>> = []
        let before: { at: Date; id: string } | null = null
        for (;;) {
          const page: ReadonlyArray<AuditEvent> = yield* store.listAudit(workspaceId, { limit: 4, before })
          if (page.length === 0) break
          pages.push(page)
          const last = page[page.length - 1]
          before = last === undefined ? null : { at: last.at, id: last.id }
        }
        expect(pages.map((p) => p.length)).toEqual([4, 4, 1])
        const seen = pages.flat()
        const expected = [...events].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))
        expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id))

        // A handful of rows would be read in bulk; with that ruled out, the planner must pick an ordered index.
        const plan = yield* DrizzleDatabase.use((database) =>
          database.transaction(async (tx) => {
            await tx.execute(sql`set local enable_seqscan = off`)
            await tx.execute(sql`set local enable_bitmapscan = off`)
            return tx.execute(
              sql`explain select * from audit_events where workspace_id = ${workspaceId} order by at desc, id desc limit 4`
            )
          })
        )
        expect(JSON.stringify(plan)).toContain("Index Scan using audit_events_page")
        expect(JSON.stringify(plan)).not.toContain("Sort")
      })
    )
  })
})
