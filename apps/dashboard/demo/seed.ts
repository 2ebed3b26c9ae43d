import {
  asManager,
  connectJira,
  createCredential,
  Principal,
  permissionsOf,
  testConnection,
  UserId,
  WorkspaceId
} from "@sciple/jira-core"
import { DEMO_ACCOUNT, DEMO_SITE, type SimAccount } from "@sciple/jira-simulator"
import { Effect, Redacted } from "effect"
import type { AppDeps, DemoInfo } from "../src/http/runtime.ts"
import { AccountStore, createAdministrator, Membership } from "../src/identity/index.ts"
import { hashPassword } from "../src/platform/password.ts"

export const DEMO_PASSWORD = "demo-password"
export const DEMO_USERS: DemoInfo["users"] = [
  { email: "admin@demo.test", password: DEMO_PASSWORD, role: "admin: settings.manage + dashboard.view" },
  { email: "viewer@demo.test", password: DEMO_PASSWORD, role: "viewer: dashboard.view" }
]

const WORKSPACE = "demo"
const ADMIN = "demo-admin"
const VIEWER = "demo-viewer"

/**
 * The demo's workspace "Demo": two users, the simulator's credential for `account`, and the connection to the
 * simulated site, made through the same use cases as the pages use. A scoped token's connection is tested at
 * once, so the gateway route and cloudId are recorded. Skipped when the data folder already has users.
 */
export const demoSeed = (account: SimAccount) => async (runtime: AppDeps["runtime"]) => {
  const users = await runtime.runPromise(AccountStore.use((a) => a.countUsers))
  if (users > 0) return
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const at = new Date()
  await runtime.runPromise(
    Effect.gen(function* () {
      yield* createAdministrator({
        workspaceId: WORKSPACE,
        userId: ADMIN,
        workspaceName: "Demo",
        email: "admin@demo.test",
        passwordHash,
        at
      })
      yield* createAdministrator({
        workspaceId: WORKSPACE,
        userId: VIEWER,
        workspaceName: "Demo",
        email: "viewer@demo.test",
        passwordHash,
        at,
        role: "viewer"
      })
      const admin = new Principal({
        userId: UserId.make(ADMIN),
        workspaceId: WorkspaceId.make(WORKSPACE),
        permissions: [
          ...permissionsOf(
            new Membership({ userId: UserId.make(ADMIN), workspaceId: WorkspaceId.make(WORKSPACE), role: "admin" }).role
          )
        ]
      })
      const credential = yield* createCredential({
        name: "Demo Jira bot",
        username: account.email,
        token: Redacted.make(account.apiToken)
      }).pipe(asManager(admin))
      yield* connectJira({ name: "Demo Jira", baseUrl: DEMO_SITE, credentialId: credential.id, defaultJql: "" }).pipe(
        asManager(admin)
      )
      if (account.scopes !== undefined) {
        yield* testConnection({ baseUrl: DEMO_SITE, credentialId: credential.id }).pipe(asManager(admin))
      }
    })
  )
}

/** The classic demo token (the benchmark's seed). */
export const seedDemo = demoSeed(DEMO_ACCOUNT)
