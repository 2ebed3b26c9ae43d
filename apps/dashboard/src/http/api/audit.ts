import { asManager, listAuditLog, SETTINGS_MANAGE } from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { auditCursor, intParam } from "../query-params.ts"
import { auditDto } from "./dto.ts"
import { apiResource } from "./route.ts"
import * as S from "./schemas.ts"

/** The workspace's audit log, for settings.manage. */
export const AUDIT = apiResource("audit", SETTINGS_MANAGE, [
  {
    method: "get",
    path: "/api/v1/audit",
    summary: "The workspace's audit log, newest first.",
    params: [
      { name: "limit", in: "query", description: "1 to 100 (default 25)." },
      { name: "before_at", in: "query", description: "From the previous page's `next`." },
      { name: "before_id", in: "query", description: "From the previous page's `next`." }
    ],
    status: 200,
    response: S.AuditPageDto,
    handle: (r) => {
      const checked = Result.all({
        limit: intParam("limit", r.query("limit"), 25, 1, 100),
        cursor: auditCursor(r.query("before_at"), r.query("before_id"))
      })
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const { limit } = checked.success
      const { before } = checked.success.cursor
      return listAuditLog({ before, limit }).pipe(
        asManager(r.principal),
        Effect.map((events) => {
          const last = events[events.length - 1]
          return {
            events: events.map(auditDto),
            next:
              events.length === limit && last !== undefined
                ? { before_at: last.at.toISOString(), before_id: last.id }
                : null
          }
        })
      )
    }
  }
])
