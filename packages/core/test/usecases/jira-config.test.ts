import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { asManager } from "../../src/authorization.ts"
import { DEFAULT_JQL } from "../../src/domain/jira-config.ts"
import { JiraUnavailable, StoreUnavailable } from "../../src/errors.ts"
import { anAdmin, aTestWorld, aViewer, FAKE_EMAIL, FAKE_TOKEN } from "../../src/testing/mothers.ts"
import { createCredential } from "../../src/usecases/credentials.ts"
import { connectJira, getJiraSettings, removeJira, testConnection, updateJira } from "../../src/usecases/jira-config.ts"

const setup = Effect.fnUntraced(function* (token = FAKE_TOKEN) {
  const world = aTestWorld()
  const credential = yield* createCredential({ name: "Bot", username: FAKE_EMAIL, token: Redacted.make(token) }).pipe(
    asManager(anAdmin()),
    Effect.provide(world.layer)
  )
  const as = <A, E, R>(e: Effect.Effect<A, E, R>) => e.pipe(asManager(anAdmin()), Effect.provide(world.layer))
  return {
    world,
    credential,
    as,
    form: { name: " My Jira ", baseUrl: "https://ACME.atlassian.net/", credentialId: credential.id }
  }
})

describe("connectJira", () => {
  it.effect("validates, stores with the default JQL and audits in the same unit of work", () =>
    Effect.gen(function* () {
      const { world, as, form, credential } = yield* setup()
      const config = yield* as(connectJira({ ...form, defaultJql: "  " }))
      expect(config).toMatchObject({
        name: "My Jira",
        baseUrl: "https://acme.atlassian.net",
        defaultJql: DEFAULT_JQL,
        version: 1
      })
      const created = world.config.state.audit.find((e) => e.action === "JIRA_CONFIG_CREATED")
      expect(created?.credentialId).toBe(credential.id)
      expect(created?.changes.map((c) => c.field)).toEqual(["baseUrl", "credentialId", "defaultJql", "name"])
      expect(JSON.stringify(world.config.state.audit)).not.toContain(FAKE_TOKEN)
      // The built-in default is known to be valid: no Jira call at save time.
      expect(world.jira.calls).toEqual([])
    })
  )

  it.effect("asks Jira to validate a custom JQL and reports its message on the field", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      const error = yield* as(connectJira({ ...form, defaultJql: "project = = (" })).pipe(Effect.flip)
      expect(error._tag === "InvalidInput" && error.fields[0]?.field).toBe("defaultJql")
      const unbounded = yield* as(connectJira({ ...form, defaultJql: "ORDER BY key" })).pipe(Effect.flip)
      expect(unbounded.message).toContain("Unbounded")
      expect(world.config.state.configs.size).toBe(0)
      const ok = yield* as(connectJira({ ...form, defaultJql: "assignee = currentUser() ORDER BY updated DESC" }))
      expect(ok.defaultJql).toBe("assignee = currentUser() ORDER BY updated DESC")
    })
  )

  it.effect("names every bad field", () =>
    Effect.gen(function* () {
      const { as } = yield* setup()
      const error = yield* as(connectJira({ name: "", baseUrl: "http://evil.com", credentialId: "nope" })).pipe(
        Effect.flip
      )
      expect(error._tag === "InvalidInput" && error.fields.map((f) => f.field)).toEqual([
        "name",
        "baseUrl",
        "credentialId"
      ])
    })
  )

  it.effect("allows one connection per workspace", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      expect((yield* as(connectJira(form)).pipe(Effect.flip))._tag).toBe("AlreadyConnected")
      expect(world.config.state.audit.filter((e) => e.action === "JIRA_CONFIG_CREATED")).toHaveLength(1)
    })
  )

  it.effect("changes nothing when the audit write fails", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      world.config.faults.failNext("audit", new StoreUnavailable({ reason: "disk full" }))
      expect((yield* as(connectJira(form)).pipe(Effect.flip))._tag).toBe("StoreUnavailable")
      expect(world.config.state.configs.size).toBe(0)
    })
  )

  it.effect("needs settings.manage", () =>
    Effect.gen(function* () {
      const { world, form } = yield* setup()
      const error = yield* connectJira(form).pipe(asManager(aViewer()), Effect.provide(world.layer), Effect.flip)
      expect(error._tag).toBe("NotPermitted")
      expect(error.message).toContain("settings.manage")
    })
  )

  it.effect("reports Jira being down while validating a custom JQL", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      world.jira.faults.failNext("validateJql", new JiraUnavailable({ reason: "timeout", status: null }))
      expect((yield* as(connectJira({ ...form, defaultJql: "project = ALPHA" })).pipe(Effect.flip))._tag).toBe(
        "JiraUnavailable"
      )
      expect(world.config.state.configs.size).toBe(0)
    })
  )
})

describe("updateJira / removeJira", () => {
  it.effect("updates with the expected version, audits the changed fields, refuses a stale one", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const updated = yield* as(updateJira({ ...form, name: "Renamed" }, 1))
      expect(updated.version).toBe(2)
      const event = world.config.state.audit.find((e) => e.action === "JIRA_CONFIG_UPDATED")
      expect(event?.changes).toEqual([{ field: "name", from: "My Jira", to: "Renamed" }])
      const stale = yield* as(updateJira({ ...form, name: "Stale" }, 1)).pipe(Effect.flip)
      expect(stale._tag).toBe("StaleVersion")
      expect(world.config.state.configs.values().next().value?.name).toBe("Renamed")
    })
  )

  it.effect("a repeated Save with the same version and values succeeds; different values still conflict", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const first = yield* as(updateJira({ ...form, name: "Renamed" }, 1))
      const again = yield* as(updateJira({ ...form, name: "Renamed" }, 1))
      expect(again.version).toBe(first.version)
      expect(world.config.state.audit.filter((e) => e.action === "JIRA_CONFIG_UPDATED")).toHaveLength(1)
      const concurrent = yield* Effect.all(
        [as(updateJira({ ...form, name: "Twice" }, 2)), as(updateJira({ ...form, name: "Twice" }, 2))],
        { concurrency: 2 }
      )
      expect(concurrent.map((c) => c.version)).toEqual([3, 3])
      expect(world.config.state.audit.filter((e) => e.action === "JIRA_CONFIG_UPDATED")).toHaveLength(2)
      const stale = yield* as(updateJira({ ...form, name: "Other" }, 2)).pipe(Effect.flip)
      expect(stale._tag).toBe("StaleVersion")
    })
  )

  it.effect("writes nothing when nothing changed", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const same = yield* as(updateJira(form, 1))
      expect(same.version).toBe(1)
      expect(world.config.state.audit.filter((e) => e.action === "JIRA_CONFIG_UPDATED")).toHaveLength(0)
    })
  )

  it.effect("removes the connection, audits it and keeps the credential", () =>
    Effect.gen(function* () {
      const { world, as, form, credential } = yield* setup()
      yield* as(connectJira(form))
      yield* as(removeJira(1))
      expect(world.config.state.configs.size).toBe(0)
      expect(world.config.state.credentials.has(credential.id)).toBe(true)
      const deleted = world.config.state.audit.find((e) => e.action === "JIRA_CONFIG_DELETED")
      expect(deleted?.credentialId).toBe(credential.id)
      expect((yield* as(removeJira(null)).pipe(Effect.flip))._tag).toBe("NotFound")
      expect((yield* as(updateJira(form, 1)).pipe(Effect.flip))._tag).toBe("NotFound")
    })
  )

  it.effect("reads the settings for the form", () =>
    Effect.gen(function* () {
      const { as, form, credential } = yield* setup()
      expect((yield* as(getJiraSettings())).config).toBeNull()
      yield* as(connectJira(form))
      const settings = yield* as(getJiraSettings())
      expect(settings.config?.name).toBe("My Jira")
      expect(settings.credentials.map((c) => c.id)).toEqual([credential.id])
    })
  )
})

describe("testConnection", () => {
  it.effect("reports the account's email and records health on the saved connection", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const health = yield* as(testConnection(form))
      expect(health).toMatchObject({ ok: true, accountEmail: FAKE_EMAIL, error: null })
      expect(world.config.state.configs.values().next().value?.health).toEqual(health)
      expect(world.config.state.configs.values().next().value?.version).toBe(1)
    })
  )

  it.effect("records the route and cloudId the test found on the saved connection, for every later call", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const health = yield* as(testConnection(form))
      expect(health).toMatchObject({ ok: true, route: "site", cloudId: "cloud-acme.atlassian.net" })
      const saved = world.config.state.configs.values().next().value
      expect(saved).toMatchObject({ route: "site", cloudId: "cloud-acme.atlassian.net", version: 1 })
    })
  )

  it.effect("reports a rejected token as a failed test, not an error", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup("wrong-token")
      const health = yield* as(testConnection(form))
      expect(health.ok).toBe(false)
      expect(health.error).toBe("The Jira credential was refused: check the token or create a new one.")
      expect(health.route).toBeNull()
      expect(world.config.state.configs.size).toBe(0)
    })
  )

  it.effect("does not record a test of another site on the saved connection", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      const health = yield* as(testConnection({ ...form, baseUrl: "https://other.atlassian.net" }))
      expect(health.ok).toBe(false)
      expect(world.config.state.configs.values().next().value?.health).toBeNull()
    })
  )

  it.effect("checks the Default JQL exactly as Save does: what Test accepts, Save accepts", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      for (const defaultJql of ["project = = (", "ORDER BY key", "x".repeat(2001)]) {
        const tested = yield* as(testConnection({ ...form, defaultJql })).pipe(Effect.flip)
        const saved = yield* as(connectJira({ ...form, defaultJql })).pipe(Effect.flip)
        expect(tested._tag === "InvalidInput" && tested.fields.map((f) => f.field)).toEqual(["defaultJql"])
        expect(tested.message).toBe(saved.message)
      }
      const good = "assignee = currentUser() ORDER BY updated DESC"
      expect((yield* as(testConnection({ ...form, defaultJql: good }))).ok).toBe(true)
      expect((yield* as(connectJira({ ...form, defaultJql: good }))).defaultJql).toBe(good)
      // Blank is the built-in default, known to be valid: no call to Jira's parser.
      world.jira.calls.length = 0
      expect((yield* as(testConnection({ ...form, defaultJql: " " }))).ok).toBe(true)
      expect(world.jira.calls.map((c) => c.op)).not.toContain("validateJql")
    })
  )

  it.effect("records the working sign-in as health even when the Default JQL is refused", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      yield* as(connectJira(form))
      yield* as(testConnection({ ...form, defaultJql: "project = = (" })).pipe(Effect.flip)
      expect(world.config.state.configs.values().next().value?.health).toMatchObject({ ok: true, error: null })
    })
  )

  it.effect("reports a JQL check Jira could not answer as a failed test", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      world.jira.faults.failNext("validateJql", new JiraUnavailable({ reason: "timeout", status: null }))
      const health = yield* as(testConnection({ ...form, defaultJql: "project = ALPHA" }))
      expect(health.ok).toBe(false)
      expect(health.error).toBe("Jira did not answer in time.")
    })
  )

  it.effect("refuses bad input and needs settings.manage", () =>
    Effect.gen(function* () {
      const { world, as, form } = yield* setup()
      expect((yield* as(testConnection({ ...form, baseUrl: "http://x" })).pipe(Effect.flip))._tag).toBe("InvalidInput")
      const viewer = yield* testConnection(form).pipe(asManager(aViewer()), Effect.provide(world.layer), Effect.flip)
      expect(viewer._tag).toBe("NotPermitted")
    })
  )
})
