import { describe, expect, layer } from "@effect/vitest"
import {
  Change,
  changePayload,
  DrizzleDatabase,
  type DrizzleDatabaseShape,
  notifyChange
} from "@sciple/drizzle-postgres"
import { testStoresLayer } from "@sciple/drizzle-postgres/testing"
import { WorkspaceId } from "@sciple/jira-core"
import { anAudit } from "@sciple/jira-core/testing"
import { Effect, Layer, Schedule } from "effect"
import { AccountStore } from "../../src/identity/AccountStore.ts"
import { AccountStoreDrizzle } from "../../src/identity/account-store.drizzle.ts"
import { ApiToken, Membership, Session, Workspace } from "../../src/identity/accounts.ts"
import { freshWorkspace } from "../support/fresh-workspace.ts"

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

/** A committed change to use as a marker: notices arrive in commit order, so once it is heard, earlier ones were too. */
const marker = (database: DrizzleDatabaseShape) => {
  const change = Change.workspace(`marker-${crypto.randomUUID()}`)
  return database
    .transaction<void, never>(async (tx) => {
      await notifyChange(tx, change)
    })
    .pipe(Effect.as(change))
}

/** Skips the domain's own checks, to play a caller that did not validate. */
const unchecked = { disableChecks: true } as const

describe("AccountStoreDrizzle", () => {
  layer(AccountStoreDrizzle.pipe(Layer.provideMerge(testStoresLayer())), {
    excludeTestServices: true,
    timeout: "60 seconds"
  })((it) => {
    it.effect("account writes tell their session, token or account", () =>
      Effect.gen(function* () {
        const database = yield* DrizzleDatabase
        const accounts = yield* AccountStore
        const { workspaceId, userId } = yield* freshWorkspace
        const heard = yield* record(database)
        const now = new Date("2026-01-02T03:04:05.678Z")
        const idHash = `hash-${crypto.randomUUID()}`

        yield* accounts.createSession(
          new Session({ idHash, userId, workspaceId, createdAt: now, expiresAt: new Date(now.getTime() - 1) })
        )
        yield* waitFor(heard, Change.session(idHash))
        yield* accounts.deleteSession(idHash)
        heard.length = 0
        yield* accounts.createSession(
          new Session({ idHash, userId, workspaceId, createdAt: now, expiresAt: new Date(now.getTime() - 1) })
        )
        expect(yield* accounts.deleteExpiredSessions(now)).toBeGreaterThan(0)
        yield* waitFor(heard, Change.sessions)

        yield* accounts.putMembership(new Membership({ userId, workspaceId, role: "viewer" }))
        yield* waitFor(heard, Change.account(userId))

        const token = new ApiToken({
          id: `tok-${crypto.randomUUID().slice(0, 8)}`,
          userId,
          workspaceId,
          name: "CI",
          tokenHash: `token-${crypto.randomUUID()}`,
          createdAt: now,
          lastUsedAt: null,
          revokedAt: null
        })
        yield* accounts.createApiToken(token)
        yield* waitFor(heard, Change.tokens)
        heard.length = 0
        // Recording a token's use changes nothing a cache holds: it sends no notice.
        expect(yield* accounts.useApiToken(token.tokenHash, now)).not.toBeNull()
        yield* waitFor(heard, yield* marker(database))
        expect(heard.map(changePayload)).not.toContain("token")
        yield* accounts.revokeApiToken(
          userId,
          workspaceId,
          token.id,
          now,
          anAudit(workspaceId, userId, "API_TOKEN_REVOKED")
        )
        yield* waitFor(heard, Change.tokens)
      }).pipe(Effect.scoped)
    )

    it.effect("a workspace the domain would refuse gets a typed error at the database edge", () =>
      Effect.gen(function* () {
        const accounts = yield* AccountStore
        const workspace = new Workspace(
          { id: WorkspaceId.make("bad id", unchecked), name: "Bad", createdAt: new Date() },
          unchecked
        )
        expect((yield* accounts.createWorkspace(workspace).pipe(Effect.flip))._tag).toBe("StoreUnavailable")
      })
    )
  })
})
