import {
  asManager,
  asViewer,
  BypassCache,
  connectJira,
  createCredential,
  DASHBOARD_VIEW,
  deleteCredential,
  getJiraSettings,
  homeSummary,
  InvalidInput,
  type IssueFilters,
  listAuditLog,
  listCredentials,
  listIssues,
  listProjects,
  NotPermitted,
  projectDashboard,
  removeJira,
  rotateCredentialToken,
  SETTINGS_MANAGE,
  testConnection,
  updateJira
} from "@sciple/jira-core"
import { Effect, Redacted, Result, Schema } from "effect"
import type { Context, Hono } from "hono"
import { headersOf, problemOf, type TaggedError } from "../errors.ts"
import { auditCursor, intParam, MAX_TEXT, textParam, versionParam } from "../query-params.ts"
import { wantsFresh } from "../refresh-limit.ts"
import { type AppDeps, type AppEnv, attempt } from "../runtime.ts"
import { auditDto, configDto, credentialDto, dashboardDto, healthDto, homeDto, issuesDto, projectsDto } from "./dto.ts"
import { apiDocsPage, openApiDocument } from "./openapi.ts"
import type { ApiParam, ApiRequest, ApiRoute } from "./route.ts"

export type { ApiParam, ApiRoute } from "./route.ts"

import * as S from "./schemas.ts"

const filterParams: ReadonlyArray<ApiParam> = [
  { name: "status", in: "query", description: "Status category: new, indeterminate or done." },
  { name: "priority", in: "query", description: "A priority name." },
  { name: "assignee", in: "query", description: "An account id, or `unassigned`." },
  { name: "q", in: "query", description: "Text to search for." }
]

const keyParam: ApiParam = { name: "key", in: "path", description: "The Jira project key.", required: true }
const refreshParam: ApiParam = { name: "refresh", in: "query", description: "`1` to read past the cache." }

const filtersOf = (query: ApiRequest["query"]): Effect.Effect<IssueFilters, InvalidInput> => {
  const status = query("status")
  if (status !== undefined && status !== "" && !["new", "indeterminate", "done"].includes(status)) {
    return Effect.fail(InvalidInput.one("status", "Status must be new, indeterminate or done."))
  }
  const opt = (v: string | undefined) => (v === undefined || v === "" ? undefined : v)
  // The same bounds as the pages' filters: an over-long value is refused, not sent into the JQL.
  const checked = Result.all({
    priority: textParam("priority", query("priority"), 100),
    assignee: textParam("assignee", query("assignee"), 128),
    q: textParam("q", query("q"), MAX_TEXT)
  })
  if (Result.isFailure(checked)) return Effect.fail(checked.failure)
  return Effect.succeed({
    statusCategory: opt(status) as IssueFilters["statusCategory"],
    priority: opt(checked.success.priority),
    assignee: opt(checked.success.assignee),
    text: opt(checked.success.q)
  })
}

const fresh = (request: ApiRequest) => Effect.provideService(BypassCache, request.fresh)

const decode = <A>(schema: Schema.Codec<A, unknown>, body: unknown) =>
  Schema.decodeUnknownEffect(schema)(body, { onExcessProperty: "error" }).pipe(
    // Where and what was expected, never the value sent: it may be a token.
    Effect.mapError((error) => {
      const lines = error.message.split("\n")
      const field = /at \["([^"\]]+)"\]/.exec(error.message)?.[1] ?? "body"
      const what = (lines[0] ?? "Invalid body").replace(/,? got .*$/, "").trim()
      return InvalidInput.one(field, `${what}.`)
    })
  )

/** The JSON API, one entry per route: the handlers, the OpenAPI document and the access matrix test read it. */
export const API_ROUTES: ReadonlyArray<ApiRoute> = [
  {
    method: "get",
    path: "/api/v1/jira/summary",
    summary: "The home widget: open issues with the To Do / In Progress / Done split, scoped by the default JQL.",
    permission: DASHBOARD_VIEW,
    params: [refreshParam],
    status: 200,
    response: S.HomeSummaryDto,
    handle: (r) => homeSummary().pipe(asViewer(r.principal), fresh(r), Effect.map(homeDto))
  },
  {
    method: "get",
    path: "/api/v1/jira/projects",
    summary: "The projects the connection can see, a page at a time.",
    permission: DASHBOARD_VIEW,
    params: [
      { name: "q", in: "query", description: "Matched against project key and name." },
      { name: "page", in: "query", description: "1-based page number (25 per page)." },
      refreshParam
    ],
    status: 200,
    response: S.ProjectsPageDto,
    handle: (r) => {
      const checked = Result.all({
        page: intParam("page", r.query("page"), 1, 1, 10_000),
        q: textParam("q", r.query("q"), 500)
      })
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      return listProjects({ query: checked.success.q ?? "", page: checked.success.page }).pipe(
        asViewer(r.principal),
        fresh(r),
        Effect.map(projectsDto)
      )
    }
  },
  {
    method: "get",
    path: "/api/v1/jira/projects/{key}",
    summary: "A project's dashboard: stat cards, breakdowns from the 100 most recent issues, and the first table page.",
    permission: DASHBOARD_VIEW,
    params: [keyParam, ...filterParams, refreshParam],
    status: 200,
    response: S.ProjectDashboardDto,
    handle: (r) =>
      Effect.flatMap(filtersOf(r.query), (filters) =>
        projectDashboard({ projectKey: r.path("key"), filters }).pipe(
          asViewer(r.principal),
          fresh(r),
          Effect.map(dashboardDto)
        )
      )
  },
  {
    method: "get",
    path: "/api/v1/jira/projects/{key}/issues",
    summary: "A page of a project's issues, filtered; pass `next` back as `cursor` for the next page.",
    permission: DASHBOARD_VIEW,
    params: [
      keyParam,
      ...filterParams,
      { name: "cursor", in: "query", description: "From the previous page's `next`." }
    ],
    status: 200,
    response: S.IssuesPageDto,
    handle: (r) =>
      Effect.flatMap(filtersOf(r.query), (filters) =>
        listIssues({ projectKey: r.path("key"), filters, cursor: r.query("cursor") ?? null }).pipe(
          asViewer(r.principal),
          Effect.map((page) => issuesDto(page.site, page.table, page.jql, page.fetchedAt))
        )
      )
  },
  {
    method: "get",
    path: "/api/v1/jira/config",
    summary: "The workspace's Jira configuration, or null.",
    permission: SETTINGS_MANAGE,
    status: 200,
    response: S.JiraConfigResponse,
    handle: (r) =>
      getJiraSettings().pipe(
        asManager(r.principal),
        Effect.map((s) => ({ config: s.config === null ? null : configDto(s.config) }))
      )
  },
  {
    method: "post",
    path: "/api/v1/jira/config",
    summary: "Connect Jira (one connection per workspace); audited as JIRA_CONFIG_CREATED.",
    permission: SETTINGS_MANAGE,
    body: S.JiraConfigBody,
    status: 201,
    response: S.JiraConfigDto,
    handle: (r) =>
      decode(S.JiraConfigBody, r.body).pipe(
        Effect.flatMap((b) => connectJira(b).pipe(asManager(r.principal))),
        Effect.map(configDto)
      )
  },
  {
    method: "put",
    path: "/api/v1/jira/config",
    summary: "Change the configuration of the given version; audited as JIRA_CONFIG_UPDATED.",
    permission: SETTINGS_MANAGE,
    body: S.JiraConfigUpdateBody,
    status: 200,
    response: S.JiraConfigDto,
    handle: (r) =>
      decode(S.JiraConfigUpdateBody, r.body).pipe(
        Effect.flatMap(({ version, ...b }) => updateJira(b, version).pipe(asManager(r.principal))),
        Effect.map(configDto)
      )
  },
  {
    method: "delete",
    path: "/api/v1/jira/config",
    summary: "Remove the connection (the credential is kept); audited as JIRA_CONFIG_DELETED.",
    permission: SETTINGS_MANAGE,
    params: [
      {
        name: "version",
        in: "query",
        description: "The configuration's current version; 409 when it changed since.",
        required: true
      }
    ],
    status: 204,
    handle: (r) => {
      const version = versionParam(r.query("version"))
      if (Result.isFailure(version)) return Effect.fail(version.failure)
      return removeJira(version.success).pipe(asManager(r.principal))
    }
  },
  {
    method: "post",
    path: "/api/v1/jira/config/test",
    summary: "Test a site and credential: signs in and reports the account; recorded as the connection's health.",
    permission: SETTINGS_MANAGE,
    body: S.TestConnectionBody,
    status: 200,
    response: S.Health,
    handle: (r) =>
      decode(S.TestConnectionBody, r.body).pipe(
        Effect.flatMap((b) => testConnection(b).pipe(asManager(r.principal))),
        Effect.map(healthDto)
      )
  },
  {
    method: "get",
    path: "/api/v1/credentials",
    summary: "The workspace's credentials (never their tokens).",
    permission: SETTINGS_MANAGE,
    status: 200,
    response: S.CredentialList,
    handle: (r) =>
      listCredentials().pipe(
        asManager(r.principal),
        Effect.map((list) => ({ credentials: list.map(credentialDto) }))
      )
  },
  {
    method: "post",
    path: "/api/v1/credentials",
    summary: "Create a username_password credential for jira; the token goes to the secret store.",
    permission: SETTINGS_MANAGE,
    params: [
      {
        name: "Idempotency-Key",
        in: "header",
        description:
          "16 to 64 of A-Z a-z 0-9 _ -; it becomes the credential's id: a retry with the same key and values answers the same credential (201), with other values 422."
      }
    ],
    body: S.CredentialBody,
    status: 201,
    response: S.CredentialDto,
    handle: (r) =>
      decode(S.CredentialBody, r.body).pipe(
        Effect.flatMap((b) =>
          createCredential({
            name: b.name,
            username: b.username,
            token: Redacted.make(b.token),
            idempotencyKey: r.header("idempotency-key")
          }).pipe(asManager(r.principal))
        ),
        Effect.map(credentialDto)
      )
  },
  {
    method: "post",
    path: "/api/v1/credentials/{id}/rotate",
    summary: "Replace a credential's API token.",
    permission: SETTINGS_MANAGE,
    params: [{ name: "id", in: "path", description: "The credential id.", required: true }],
    body: S.RotateBody,
    status: 200,
    response: S.CredentialDto,
    handle: (r) =>
      decode(S.RotateBody, r.body).pipe(
        Effect.flatMap((b) => rotateCredentialToken(r.path("id"), Redacted.make(b.token)).pipe(asManager(r.principal))),
        Effect.map(credentialDto)
      )
  },
  {
    method: "delete",
    path: "/api/v1/credentials/{id}",
    summary: "Delete a credential and its token; refused while the Jira connection uses it.",
    permission: SETTINGS_MANAGE,
    params: [{ name: "id", in: "path", description: "The credential id.", required: true }],
    status: 204,
    handle: (r) => deleteCredential(r.path("id")).pipe(asManager(r.principal))
  },
  {
    method: "get",
    path: "/api/v1/audit",
    summary: "The workspace's audit log, newest first.",
    permission: SETTINGS_MANAGE,
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
]

const problem = (c: Context, error: TaggedError) => {
  const body = problemOf(error)
  return c.json(body, body.status as 400, { "content-type": "application/problem+json", ...headersOf(error) })
}

const simpleProblem = (c: Context, status: 400 | 401 | 415, code: string, detail: string) =>
  c.json({ type: "about:blank", title: code.replace(/([a-z])([A-Z])/g, "$1 $2"), status, code, detail }, status, {
    "content-type": "application/problem+json"
  })

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/** Reads a JSON body: JSON content type, valid UTF-8, valid JSON, or a clear 4xx. */
const readJson = async (c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> => {
  const type = c.req.header("content-type") ?? ""
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    return { ok: false, response: simpleProblem(c, 415, "UnsupportedMediaType", "Send the body as application/json.") }
  }
  let text: string
  try {
    text = strictUtf8.decode(await c.req.arrayBuffer())
  } catch {
    return { ok: false, response: simpleProblem(c, 400, "MalformedBody", "The body is not valid UTF-8.") }
  }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, response: simpleProblem(c, 400, "MalformedBody", "The body is not valid JSON.") }
  }
}

export const apiRoutes = (app: Hono<AppEnv>, deps: AppDeps) => {
  app.get("/api/openapi.json", (c) => c.json(openApiDocument(API_ROUTES)))
  app.get("/api/docs", (c) => c.html(apiDocsPage(API_ROUTES)))

  for (const route of API_ROUTES) {
    const honoPath = route.path.replace(/\{(\w+)\}/g, ":$1")
    app.on(route.method.toUpperCase(), honoPath, async (c) => {
      const auth = c.get("auth")
      if (auth === null) {
        c.header("www-authenticate", 'Bearer realm="sciple"')
        return simpleProblem(
          c,
          401,
          "Unauthenticated",
          "Sign in, or send a personal API token as `Authorization: Bearer <token>`."
        )
      }
      // The use case checks again; checking here first means a refused caller learns nothing from validation.
      if (!auth.principal.can(route.permission)) return problem(c, new NotPermitted({ permission: route.permission }))
      let body: unknown
      if (route.body !== undefined) {
        const read = await readJson(c)
        if (!read.ok) return read.response
        body = read.value
      }
      const result = await attempt(
        deps,
        route.handle({
          principal: auth.principal,
          path: (name) => c.req.param(name) ?? "",
          query: (name) => c.req.query(name),
          header: (name) => c.req.header(name),
          fresh: wantsFresh(c),
          body
        })
      )
      if (Result.isFailure(result)) return problem(c, result.failure)
      if (route.status === 204) return c.body(null, 204)
      return c.json(result.success as object, route.status)
    })
  }
}
