import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { CredentialId, PendingCredential, StoreUnavailable, WorkspaceId } from "@sciple/jira-core"
import { aTestWorld, FAKE_EMAIL, FAKE_TOKEN } from "@sciple/jira-core/testing"
import { Effect, Fiber, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { reconcileForever } from "../../src/jobs/pending-credentials.job.ts"
import { makeTestApp, type TestApp } from "../support/harness.ts"

/** The two-phase credential create (adr/0028) through HTTP, and the job that settles what it left behind. */

let t: TestApp
beforeEach(async () => {
  t = await makeTestApp()
})
afterEach(async () => {
  await t.dispose()
})

const KEY = "retry-key-0123456789abcdef"
const body = { name: "Bot", username: FAKE_EMAIL, token: FAKE_TOKEN }
const lostAnswer = () => new StoreUnavailable({ reason: "the connection was lost before the commit was acknowledged" })

/** What workspace 1 holds after a create: rows, secrets, creation events, pending records. */
const counts = () => ({
  rows: t.world.config.state.credentials.size,
  secrets: t.world.secrets.secrets.size,
  events: t.world.config.state.audit.filter((e) => e.action === "CREDENTIAL_CREATED").length,
  pending: t.world.config.state.pending.size
})
const oneOfEach = { rows: 1, secrets: 1, events: 1, pending: 0 }

describe("credential create over the JSON API", () => {
  const post = (cookie: string, key: string | null, values: object = body) =>
    t.request("/api/v1/credentials", {
      method: "POST",
      headers: { "content-type": "application/json", ...(key === null ? {} : { "idempotency-key": key }) },
      body: JSON.stringify(values),
      cookie
    })

  it("a lost commit answer answers 503; the retry with the same key answers 201 with the same id", async () => {
    const admin = await t.signIn("admin")
    t.world.config.faults.loseNextAnswer("createCredential", lostAnswer())
    t.world.config.faults.failNext("settlePendingCredential", lostAnswer())
    const lost = await post(admin, KEY)
    expect(lost.status).toBe(503)
    expect(await lost.text()).not.toContain(FAKE_TOKEN)
    const retried = await post(admin, KEY)
    expect(retried.status).toBe(201)
    expect(((await retried.json()) as { id: string }).id).toBe(KEY)
    expect(counts()).toEqual(oneOfEach)
  })

  it("a repeat with the same key and values answers the same credential; other values answer 422", async () => {
    const admin = await t.signIn("admin")
    const first = (await (await post(admin, KEY)).json()) as { id: string }
    const again = await post(admin, KEY)
    expect(again.status).toBe(201)
    expect(((await again.json()) as { id: string }).id).toBe(first.id)
    const other = await post(admin, KEY, { ...body, name: "Another bot" })
    expect(other.status).toBe(422)
    expect(await other.text()).toContain("idempotency key already created a credential with other values")
    expect(counts()).toEqual(oneOfEach)
    for (const bad of ["short", "x".repeat(65), "../../etc/passwd-0123456"]) {
      const refused = await post(admin, bad)
      expect(refused.status).toBe(422)
      expect(await refused.text()).toContain("idempotencyKey")
    }
    // Without the header every create is a new one (named differently: names are unique).
    expect((await post(admin, null, { ...body, name: "Third" })).status).toBe(201)
  })

  it("five identical creates at once make one credential", async () => {
    const admin = await t.signIn("admin")
    const replies = await Promise.all(Array.from({ length: 5 }, () => post(admin, KEY)))
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(counts()).toEqual(oneOfEach)
  })
})

describe("credential create from the page", () => {
  const keyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1]

  it("carries a key: a double submit makes one credential, and an error keeps the key", async () => {
    const admin = await t.signIn("admin")
    const key = keyOf(await (await t.request("/manage/credentials", { cookie: admin })).text())
    expect(key).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
    const invalid = await t.form(
      "/manage/credentials",
      { ...body, username: "not-an-email", idempotencyKey: key! },
      admin
    )
    expect(invalid.status).toBe(422)
    expect(keyOf(await invalid.text())).toBe(key)
    const submit = () => t.form("/manage/credentials", { ...body, idempotencyKey: key! }, admin)
    const [one, two] = await Promise.all([submit(), submit()])
    expect([one.status, two.status]).toEqual([303, 303])
    expect((await submit()).headers.get("location")).toBe("/manage/credentials?done=created")
    expect(counts()).toEqual(oneOfEach)
    const spent = await t.form("/manage/credentials", { ...body, name: "Changed", idempotencyKey: key! }, admin)
    expect(spent.status).toBe(422)
    const page = await spent.text()
    expect(page).toContain("This form already added a credential with other values")
    expect(keyOf(page)).not.toBe(key)
  })
})

describe("the reconciliation job", () => {
  it.effect("settles an old pending record at start, and what is older than 15 minutes every 5 minutes", () =>
    Effect.gen(function* () {
      const world = aTestWorld()
      const workspaceId = WorkspaceId.make("ws-1")
      // A create interrupted after its secret was written (TestClock's now is the epoch).
      const interrupted = { workspaceId, credentialId: CredentialId.make("interrupted-create-1") }
      const ref = yield* world.secrets.store.put(interrupted, Redacted.make("orphan-token"))
      yield* world.config.store.recordPendingCredential(
        new PendingCredential({ ...interrupted, secretRef: ref, createdAt: new Date(-20 * 60_000) })
      )
      const fiber = yield* Effect.forkChild(reconcileForever.pipe(Effect.provide(world.layer)))
      yield* TestClock.adjust("1 millis")
      expect(world.config.state.pending.size).toBe(0)
      expect(world.secrets.secrets.size).toBe(0)

      // A recent one is left alone (its create may still be running) until it is 15 minutes old.
      const recent = { workspaceId, credentialId: CredentialId.make("recent-create-1") }
      const recentRef = yield* world.secrets.store.put(recent, Redacted.make("in-flight-token"))
      yield* world.config.store.recordPendingCredential(
        new PendingCredential({ ...recent, secretRef: recentRef, createdAt: new Date(0) })
      )
      yield* TestClock.adjust("10 minutes")
      expect(world.config.state.pending.size).toBe(1)
      yield* TestClock.adjust("10 minutes")
      expect(world.config.state.pending.size).toBe(0)
      expect(world.secrets.secrets.size).toBe(0)
      yield* Fiber.interrupt(fiber)
    })
  )
})
