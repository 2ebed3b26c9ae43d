import { SETTINGS_MANAGE } from "@sciple/jira-core"
import { Hono } from "hono"
import type { AppDeps, SignedInEnv } from "../../runtime.ts"
import type { Surface } from "../../surface.ts"
import { apiTokensSurface } from "./api-tokens.tsx"
import { auditLogSurface } from "./audit-log.tsx"
import { credentialsSurface } from "./credentials.tsx"
import { jiraConnectionSurface } from "./jira-connection.tsx"

/** The Manage area: its entry, which opens on the Jira connection, and its four surfaces, all for settings.manage. */
export const manageSurfaces = (deps: AppDeps): ReadonlyArray<Surface> => {
  const entry = new Hono<SignedInEnv>()
  entry.get("/", (c) => c.redirect("/manage/integrations/jira", 303))
  return [
    { kind: "page", base: "/manage", permission: SETTINGS_MANAGE, routes: entry },
    credentialsSurface(deps),
    jiraConnectionSurface(deps),
    auditLogSurface(deps),
    apiTokensSurface(deps)
  ]
}
