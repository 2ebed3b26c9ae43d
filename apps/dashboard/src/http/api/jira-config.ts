import {
  asManager,
  connectJira,
  getJiraSettings,
  removeJira,
  SETTINGS_MANAGE,
  testConnection,
  updateJira
} from "@sciple/jira-core"
import { Effect, Result } from "effect"
import { versionParam } from "../query-params.ts"
import { decode } from "./decode.ts"
import { configDto, healthDto } from "./dto.ts"
import { apiResource } from "./route.ts"
import * as S from "./schemas.ts"

/** The workspace's Jira connection, for settings.manage: read, connect, change, remove, test. */
export const JIRA_CONFIG = apiResource("jira-config", SETTINGS_MANAGE, [
  {
    method: "get",
    path: "/api/v1/jira/config",
    summary: "The workspace's Jira configuration, or null.",
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
    body: S.TestConnectionBody,
    status: 200,
    response: S.Health,
    handle: (r) =>
      decode(S.TestConnectionBody, r.body).pipe(
        Effect.flatMap((b) => testConnection(b).pipe(asManager(r.principal))),
        Effect.map(healthDto)
      )
  }
])
