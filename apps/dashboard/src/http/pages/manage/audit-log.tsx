import { asManager, getJiraSettings, listAuditLog, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { Hono } from "hono"
import { AccountStore } from "../../../identity/index.ts"
import { AuditLogView } from "../../../views/audit-log.tsx"
import { auditCursor } from "../../query-params.ts"
import { type AppDeps, attempt, run, type SignedInEnv } from "../../runtime.ts"
import type { Surface } from "../../surface.ts"
import { errorPage, page } from "../page.tsx"

const PAGE_SIZE = 25

/** Manage › Audit log: the workspace's events, newest first, with actor emails and credential names. */
export const auditLogSurface = (deps: AppDeps): Surface => {
  const routes = new Hono<SignedInEnv>()

  routes.get("/", async (c) => {
    const manager = asManager(c.var.auth.principal)
    const cursor = auditCursor(c.req.query("before_at"), c.req.query("before_id"))
    if (Result.isFailure(cursor)) return errorPage(c, deps, cursor.failure)
    const { before } = cursor.success
    const result = await attempt(deps, listAuditLog({ before, limit: PAGE_SIZE }).pipe(manager))
    if (Result.isFailure(result)) return errorPage(c, deps, result.failure)
    const events = result.success
    const settings = await attempt(deps, getJiraSettings().pipe(manager))
    const credentialNames = new Map(
      Result.isSuccess(settings) ? settings.success.credentials.map((cred) => [cred.id, cred.name] as const) : []
    )
    const actorIds = [...new Set(events.map((e) => e.actorId))]
    const actors = new Map(
      await run(
        deps,
        AccountStore.use((accounts) =>
          Effect.forEach(actorIds, (id) => Effect.map(accounts.getUser(id), (user) => [id, user?.email ?? id] as const))
        )
      )
    )
    return page(
      c,
      deps,
      "Audit log",
      "manage",
      <AuditLogView
        events={events}
        actors={actors}
        credentialNames={credentialNames}
        older={before !== null}
        limit={PAGE_SIZE}
        now={deps.now()}
      />
    )
  })

  return { kind: "page", base: "/manage/audit", permission: SETTINGS_MANAGE, routes }
}
