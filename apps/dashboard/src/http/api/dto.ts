import {
  type AuditEvent,
  browseUrl,
  type ConnectionHealth,
  type Credential,
  type HomeSummary,
  type JiraConfig,
  type JiraIssue,
  type ProjectDashboard,
  type ProjectsPage,
  type SiteUrl
} from "@sciple/jira-core"
import type * as S from "./schemas.ts"

/**
 * Domain values to their JSON shapes, typed by the schemas of schemas.ts (which the OpenAPI document shows), so a
 * shape and its mapping cannot drift apart; nothing internal (secret refs, workspace ids) goes out.
 */

export const healthDto = (h: ConnectionHealth): typeof S.Health.Type => ({
  checkedAt: h.checkedAt.toISOString(),
  ok: h.ok,
  accountEmail: h.accountEmail,
  accountName: h.accountName,
  error: h.error,
  route: h.route,
  cloudId: h.cloudId
})

export const configDto = (c: JiraConfig): typeof S.JiraConfigDto.Type => ({
  id: c.id,
  name: c.name,
  baseUrl: c.baseUrl,
  credentialId: c.credentialId,
  defaultJql: c.defaultJql,
  health: c.health === null ? null : healthDto(c.health),
  route: c.route,
  cloudId: c.cloudId,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString()
})

export const credentialDto = (c: Credential): typeof S.CredentialDto.Type => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  provider: c.provider,
  username: c.username,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString()
})

export const homeDto = (h: HomeSummary): typeof S.HomeSummaryDto.Type => ({
  connectionName: h.connectionName,
  site: h.site,
  jql: h.jql,
  split: h.split,
  fetchedAt: h.fetchedAt.toISOString()
})

export const projectsDto = (p: ProjectsPage): typeof S.ProjectsPageDto.Type => ({
  projects: p.projects,
  query: p.query,
  page: p.page,
  pageSize: p.pageSize,
  total: p.total,
  fetchedAt: p.fetchedAt.toISOString()
})

const issueDto = (site: SiteUrl) => (i: JiraIssue) => ({
  key: i.key,
  summary: i.summary,
  status: i.status,
  assignee: i.assignee,
  priority: i.priority,
  updated: i.updated.toISOString(),
  url: browseUrl(site, i.key)
})

export const issuesDto = (
  site: SiteUrl,
  page: { issues: ReadonlyArray<JiraIssue>; next: string | null; restarted?: boolean },
  jql: string,
  fetchedAt: Date
): typeof S.IssuesPageDto.Type => ({
  issues: page.issues.map(issueDto(site)),
  next: page.next,
  restarted: page.restarted === true,
  jql,
  fetchedAt: fetchedAt.toISOString()
})

export const dashboardDto = (d: ProjectDashboard): typeof S.ProjectDashboardDto.Type => ({
  project: d.project,
  jql: d.jql,
  split: d.split,
  byPriority: d.byPriority,
  byAssignee: d.byAssignee,
  sampleSize: d.sampleSize,
  issues: issuesDto(d.site, d.table, d.jql, d.fetchedAt),
  fetchedAt: d.fetchedAt.toISOString()
})

export const auditDto = (e: AuditEvent): typeof S.AuditEventDto.Type => ({
  id: e.id,
  action: e.action,
  actorId: e.actorId,
  at: e.at.toISOString(),
  credentialId: e.credentialId,
  changes: e.changes
})
