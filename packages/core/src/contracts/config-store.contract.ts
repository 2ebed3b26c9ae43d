import { describe, expect, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { CredentialId } from "../domain/ids.ts"
import { ConnectionHealth, JiraConfig } from "../domain/jira-config.ts"
import { SecretStoreError } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { aConfig, aCredential, anAudit } from "../testing/fixtures.ts"
import { pendingCredentialCases } from "./pending-credentials.cases.ts"
import type { SeedWorkspace } from "./seed-workspace.ts"

const _FAR_FUTURE = new Date("2100-01-01T00:00:00.000Z")

/**
 * What every ConfigStore must do. Run it against each implementation with a layer that provides the store
 * (and whatever `seedWorkspace` needs), and a way to create a fresh workspace and user over the same data.
 */
export const configStoreContract = <R>(
  name: string,
  makeLayer: () => Layer.Layer<ConfigStore | R, unknown>,
  seedWorkspace: SeedWorkspace<R>
) =>
  describe(`ConfigStore contract: ${name}`, () => {
    layer(makeLayer(), { excludeTestServices: true, timeout: "60 seconds" })((it) => {
      it.effect("stores credentials and lists them per workspace, by name", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const b = aCredential(workspaceId, userId, { name: "B bot" })
          const a = aCredential(workspaceId, userId, { name: "A bot", username: "ünï@example.test" })
          yield* store.createCredential(b, anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: b.id }))
          yield* store.createCredential(a, anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { credentialId: a.id }))
          const listed = yield* store.listCredentials(workspaceId)
          expect(listed.map((c) => c.name)).toEqual(["A bot", "B bot"])
          expect(yield* store.getCredential(workspaceId, a.id)).toEqual(a)
        })
      )

      it.effect("refuses a second credential of the same name (case-insensitive)", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const first = aCredential(workspaceId, userId, { name: "Bot" })
          yield* store.createCredential(first, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const error = yield* store
            .createCredential(
              aCredential(workspaceId, userId, { name: "bot" }),
              anAudit(workspaceId, userId, "CREDENTIAL_CREATED")
            )
            .pipe(Effect.flip)
          expect(error._tag).toBe("InvalidInput")
          expect(error._tag === "InvalidInput" && error.fields[0]?.field).toBe("name")
          expect(yield* store.listCredentials(workspaceId)).toHaveLength(1)
          expect(yield* store.listAudit(workspaceId, { limit: 10, before: null })).toHaveLength(1)
        })
      )

      it.effect("keeps workspaces apart", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const one = yield* seedWorkspace
          const two = yield* seedWorkspace
          const credential = aCredential(one.workspaceId, one.userId)
          yield* store.createCredential(credential, anAudit(one.workspaceId, one.userId, "CREDENTIAL_CREATED"))
          yield* store.createConfig(aConfig(credential), anAudit(one.workspaceId, one.userId, "JIRA_CONFIG_CREATED"))
          expect(yield* store.listCredentials(two.workspaceId)).toEqual([])
          expect((yield* store.getCredential(two.workspaceId, credential.id).pipe(Effect.flip))._tag).toBe("NotFound")
          expect(yield* store.getConfig(two.workspaceId)).toBeNull()
          expect(yield* store.listAudit(two.workspaceId, { limit: 10, before: null })).toEqual([])
          const del = yield* store
            .deleteCredential(
              two.workspaceId,
              credential.id,
              anAudit(two.workspaceId, two.userId, "CREDENTIAL_DELETED"),
              Effect.void
            )
            .pipe(Effect.flip)
          expect(del._tag).toBe("NotFound")
          expect(
            (yield* store
              .deleteConfig(two.workspaceId, null, anAudit(two.workspaceId, two.userId, "JIRA_CONFIG_DELETED"))
              .pipe(Effect.flip))._tag
          ).toBe("NotFound")
          expect(yield* store.getConfig(one.workspaceId)).not.toBeNull()
        })
      )

      it.effect("creates, reads, updates and deletes the configuration, each with its audit event", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const config = aConfig(credential, { defaultJql: 'project = "ÄÖ" AND text ~ "\\"x\\""' })
          yield* store.createConfig(
            config,
            anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED", {
              credentialId: credential.id,
              changes: [{ field: "name", from: null, to: "My Jira" }]
            })
          )
          expect(yield* store.getConfig(workspaceId)).toEqual(config)
          const updated = new JiraConfig({
            ...config,
            name: "Renamed",
            version: 2,
            updatedAt: new Date("2026-02-01T00:00:00.000Z")
          })
          yield* store.updateConfig(updated, 1, anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED"))
          expect(yield* store.getConfig(workspaceId)).toEqual(updated)
          yield* store.deleteConfig(workspaceId, 2, anAudit(workspaceId, userId, "JIRA_CONFIG_DELETED"))
          expect(yield* store.getConfig(workspaceId)).toBeNull()
          const audit = yield* store.listAudit(workspaceId, { limit: 10, before: null })
          expect(audit.map((e) => e.action).sort()).toEqual(
            ["CREDENTIAL_CREATED", "JIRA_CONFIG_CREATED", "JIRA_CONFIG_DELETED", "JIRA_CONFIG_UPDATED"].sort()
          )
          const created = audit.find((e) => e.action === "JIRA_CONFIG_CREATED")
          expect(created?.credentialId).toBe(credential.id)
          expect(created?.changes).toEqual([{ field: "name", from: null, to: "My Jira" }])
        })
      )

      it.effect("allows one configuration per workspace", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          yield* store.createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          const error = yield* store
            .createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
            .pipe(Effect.flip)
          expect(error._tag).toBe("AlreadyConnected")
          const created = (yield* store.listAudit(workspaceId, { limit: 10, before: null })).filter(
            (e) => e.action === "JIRA_CONFIG_CREATED"
          )
          expect(created).toHaveLength(1)
        })
      )

      it.effect("ends concurrent connects with exactly one configuration", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const results = yield* Effect.all(
            Array.from({ length: 20 }, () =>
              store
                .createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
                .pipe(Effect.result)
            ),
            { concurrency: "unbounded" }
          )
          expect(results.filter((r) => r._tag === "Success")).toHaveLength(1)
          expect(results.filter((r) => r._tag === "Failure" && r.failure._tag === "AlreadyConnected")).toHaveLength(19)
          const created = (yield* store.listAudit(workspaceId, { limit: 50, before: null })).filter(
            (e) => e.action === "JIRA_CONFIG_CREATED"
          )
          expect(created).toHaveLength(1)
        })
      )

      it.effect("refuses an update or delete based on a stale version and changes nothing", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const config = aConfig(credential, { version: 3 })
          yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          const stale = yield* store
            .updateConfig(
              new JiraConfig({ ...config, name: "Stale", version: 3 }),
              2,
              anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED")
            )
            .pipe(Effect.flip)
          expect(stale._tag).toBe("StaleVersion")
          const staleDelete = yield* store
            .deleteConfig(workspaceId, 1, anAudit(workspaceId, userId, "JIRA_CONFIG_DELETED"))
            .pipe(Effect.flip)
          expect(staleDelete._tag).toBe("StaleVersion")
          expect(yield* store.getConfig(workspaceId)).toEqual(config)
          const actions = (yield* store.listAudit(workspaceId, { limit: 10, before: null })).map((e) => e.action)
          expect(actions).not.toContain("JIRA_CONFIG_UPDATED")
          expect(actions).not.toContain("JIRA_CONFIG_DELETED")
        })
      )

      it.effect("answers NotFound for an update of a missing configuration", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          const error = yield* store
            .updateConfig(aConfig(credential, { version: 2 }), 1, anAudit(workspaceId, userId, "JIRA_CONFIG_UPDATED"))
            .pipe(Effect.flip)
          expect(error._tag).toBe("NotFound")
        })
      )

      it.effect("refuses to delete a credential the configuration uses", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          yield* store.createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          const error = yield* store
            .deleteCredential(
              workspaceId,
              credential.id,
              anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
              Effect.void
            )
            .pipe(Effect.flip)
          expect(error._tag).toBe("CredentialInUse")
          yield* store.deleteConfig(workspaceId, null, anAudit(workspaceId, userId, "JIRA_CONFIG_DELETED"))
          yield* store.deleteCredential(
            workspaceId,
            credential.id,
            anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
            Effect.void
          )
          expect(yield* store.listCredentials(workspaceId)).toEqual([])
          const missing = yield* store
            .deleteCredential(
              workspaceId,
              CredentialId.make("missing"),
              anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
              Effect.void
            )
            .pipe(Effect.flip)
          expect(missing._tag).toBe("NotFound")
        })
      )

      it.effect("checks use before removing the secret, and keeps the row when the secret store fails", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          yield* store.createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          let removals = 0
          const removeSecret = Effect.sync(() => {
            removals++
          })
          const inUse = yield* store
            .deleteCredential(
              workspaceId,
              credential.id,
              anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
              removeSecret
            )
            .pipe(Effect.flip)
          expect(inUse._tag).toBe("CredentialInUse")
          expect(removals).toBe(0)
          yield* store.deleteConfig(workspaceId, null, anAudit(workspaceId, userId, "JIRA_CONFIG_DELETED"))
          const secretDown = yield* store
            .deleteCredential(
              workspaceId,
              credential.id,
              anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
              Effect.fail(new SecretStoreError({ reason: "unavailable", detail: "down" }))
            )
            .pipe(Effect.flip)
          expect(secretDown._tag).toBe("SecretStoreError")
          expect(yield* store.listCredentials(workspaceId)).toEqual([credential])
          const actions = (yield* store.listAudit(workspaceId, { limit: 10, before: null })).map((e) => e.action)
          expect(actions).not.toContain("CREDENTIAL_DELETED")
          yield* store.deleteCredential(
            workspaceId,
            credential.id,
            anAudit(workspaceId, userId, "CREDENTIAL_DELETED"),
            removeSecret
          )
          expect(removals).toBe(1)
          expect(yield* store.listCredentials(workspaceId)).toEqual([])
        })
      )

      it.effect("records a credential's rotation", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const rotated = aCredential(workspaceId, userId, {
            ...credential,
            version: 2,
            updatedAt: new Date("2026-03-01T00:00:00.000Z")
          })
          yield* store.updateCredential(rotated, anAudit(workspaceId, userId, "CREDENTIAL_ROTATED"))
          expect(yield* store.getCredential(workspaceId, credential.id)).toEqual(rotated)
        })
      )

      it.effect("records connection health without changing the version", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          const config = aConfig(credential)
          yield* store.createConfig(config, anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          const health = new ConnectionHealth({
            checkedAt: new Date("2026-01-03T00:00:00.000Z"),
            ok: false,
            accountEmail: null,
            accountName: null,
            error: "Jira rejected the credential.",
            route: null,
            cloudId: null
          })
          yield* store.recordHealth(workspaceId, health)
          const stored = yield* store.getConfig(workspaceId)
          expect(stored?.health).toEqual(health)
          expect(stored?.version).toBe(1)
          const audit = yield* store.listAudit(workspaceId, { limit: 10, before: null })
          expect(audit).toHaveLength(2)
        })
      )

      it.effect("records the route and cloudId a successful test found, and keeps them through a failed one", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          const credential = aCredential(workspaceId, userId)
          yield* store.createCredential(credential, anAudit(workspaceId, userId, "CREDENTIAL_CREATED"))
          yield* store.createConfig(aConfig(credential), anAudit(workspaceId, userId, "JIRA_CONFIG_CREATED"))
          const cloudId = "1c5b2d4e-0a7f-4b8e-9c3d-2f6a8b1e4d70"
          const ok = new ConnectionHealth({
            checkedAt: new Date("2026-01-03T00:00:00.000Z"),
            ok: true,
            accountEmail: "bot@example.test",
            accountName: "Bot",
            error: null,
            route: "gateway",
            cloudId
          })
          yield* store.recordHealth(workspaceId, ok)
          const stored = yield* store.getConfig(workspaceId)
          expect(stored?.route).toBe("gateway")
          expect(stored?.cloudId).toBe(cloudId)
          expect(stored?.health).toEqual(ok)
          const failed = new ConnectionHealth({ ...ok, ok: false, error: "Jira did not answer in time.", route: null })
          yield* store.recordHealth(workspaceId, failed)
          const after = yield* store.getConfig(workspaceId)
          expect(after?.health).toEqual(failed)
          expect(after?.route).toBe("gateway")
          expect(after?.version).toBe(1)
        })
      )

      pendingCredentialCases(it, seedWorkspace)

      it.effect("pages the audit log newest first", () =>
        Effect.gen(function* () {
          const store = yield* ConfigStore
          const { workspaceId, userId } = yield* seedWorkspace
          for (let i = 0; i < 7; i++) {
            const credential = aCredential(workspaceId, userId)
            // Two events share each timestamp, so the id breaks ties.
            const at = new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 2)))
            yield* store.createCredential(
              credential,
              anAudit(workspaceId, userId, "CREDENTIAL_CREATED", { at, credentialId: credential.id })
            )
          }
          const first = yield* store.listAudit(workspaceId, { limit: 3, before: null })
          const last = first[first.length - 1]
          expect(last).toBeDefined()
          const second = yield* store.listAudit(workspaceId, { limit: 10, before: { at: last!.at, id: last!.id } })
          const all = [...first, ...second]
          expect(all).toHaveLength(7)
          expect(new Set(all.map((e) => e.id)).size).toBe(7)
          const times = all.map((e) => e.at.getTime())
          expect([...times].sort((a, b) => b - a)).toEqual(times)
        })
      )
    })
  })
