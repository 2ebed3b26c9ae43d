import { Layer } from "effect"
import { UserId, WorkspaceId } from "../domain/ids.ts"
import type { JiraAccount, JiraProject, StatusCategory } from "../domain/issues.ts"
import { Principal, permissionsOf, type Role } from "../domain/permissions.ts"
import { SiteUrl } from "../domain/site-url.ts"
import { makeInMemoryConfigStore } from "./config-store.in-memory.ts"
import { makeSequentialIds } from "./ids.sequential.ts"
import { type FakeSite, makeFakeIssueSource } from "./issue-source.fake.ts"
import type { FakeIssue } from "./mini-jql.ts"
import { makeInMemorySecretStore } from "./secret-store.in-memory.ts"

/** Test data builders ("mothers"): the smallest realistic values, overridable where a test cares. */

export const aWorkspaceId = (n = 1) => WorkspaceId.make(`ws-${n}`)
export const aUserId = (n = 1) => UserId.make(`user-${n}`)

const aPrincipal = (role: Role, overrides: { workspace?: number; user?: number } = {}) =>
  new Principal({
    userId: aUserId(overrides.user ?? (role === "admin" ? 1 : 2)),
    workspaceId: aWorkspaceId(overrides.workspace ?? 1),
    permissions: [...permissionsOf(role)]
  })

export const anAdmin = (workspace = 1) => aPrincipal("admin", { workspace })
export const aViewer = (workspace = 1) => aPrincipal("viewer", { workspace })
/** A member with no permission at all. */
export const aStranger = (workspace = 1) =>
  new Principal({ userId: aUserId(9), workspaceId: aWorkspaceId(workspace), permissions: [] })

export const FAKE_SITE = SiteUrl.make("https://acme.atlassian.net")
export const FAKE_EMAIL = "bot@acme.test"
export const FAKE_TOKEN = "fake-api-token-0123456789"
const FAKE_ACCOUNT: JiraAccount = { accountId: "acc-bot", displayName: "Acme Bot", emailAddress: FAKE_EMAIL }

const PEOPLE = [
  { accountId: "acc-bot", displayName: "Acme Bot", avatarUrl: null },
  { accountId: "acc-ada", displayName: "Ada Lovelace", avatarUrl: null },
  { accountId: "acc-lin", displayName: "Lin Qiu", avatarUrl: null }
]
const STATUSES: ReadonlyArray<{ name: string; category: StatusCategory }> = [
  { name: "To Do", category: "new" },
  { name: "In Arbeit", category: "indeterminate" },
  { name: "Done", category: "done" },
  { name: "Backlog", category: "new" }
]
const PRIORITIES = ["Highest", "High", "Medium", "Low", null] as const

export const aProject = (key: string, name: string, projectTypeKey = "software"): JiraProject => ({
  id: String(10_000 + key.length * 97 + (key.codePointAt(0) ?? 0)),
  key,
  name,
  projectTypeKey,
  // Jira's avatar ids are numbers.
  avatarUrl: `https://acme.atlassian.net/rest/api/3/universal_avatar/view/type/project/avatar/${10_400 + key.length}`,
  lead: { accountId: "acc-ada", displayName: "Ada Lovelace" }
})

/** `count` issues of a project, spread over statuses, priorities, assignees and the last 60 days before `now`. */
export const someIssues = (projectKey: string, count: number, now: Date): Array<FakeIssue> =>
  Array.from({ length: count }, (_, i) => {
    const status = STATUSES[i % STATUSES.length] as (typeof STATUSES)[number]
    const priority = PRIORITIES[i % PRIORITIES.length] ?? null
    const assignee = i % 4 === 3 ? null : (PEOPLE[i % PEOPLE.length] ?? null)
    const updated = new Date(now.getTime() - ((i * 7) % 60) * 86_400_000 - i * 1000)
    return {
      key: `${projectKey}-${i + 1}`,
      projectKey,
      summary: i % 10 === 0 ? `<b>Fix</b> "quotes" & ünïcödé ${i + 1}` : `Issue ${i + 1} of ${projectKey}`,
      status,
      assignee,
      priority: priority === null ? null : { name: priority, iconUrl: null },
      updated,
      created: new Date(updated.getTime() - 86_400_000)
    }
  })

/** A fake site with three projects (ALPHA has enough issues to page through). */
export const aFakeSite = (now: Date = new Date(0)): FakeSite => ({
  accounts: [{ email: FAKE_EMAIL, token: FAKE_TOKEN, account: FAKE_ACCOUNT }],
  projects: [
    aProject("ALPHA", "Alpha"),
    aProject("BETA", "Beta Business", "business"),
    aProject("DESK", "Service Desk", "service_desk"),
    aProject("IDEA", "Ideas", "product_discovery")
  ],
  issues: [...someIssues("ALPHA", 230, now), ...someIssues("BETA", 40, now), ...someIssues("DESK", 7, now)]
})

/** Every port faked, sharing one set of controls; `layer` provides them all to a use case. */
export const aTestWorld = (options: { now?: Date; sites?: Record<string, FakeSite> } = {}) => {
  const config = makeInMemoryConfigStore()
  const secrets = makeInMemorySecretStore()
  const jira = makeFakeIssueSource(options.sites ?? { [FAKE_SITE]: aFakeSite(options.now) })
  const layer = Layer.mergeAll(config.layer, secrets.layer, jira.layer, makeSequentialIds())
  return { config, secrets, jira, layer }
}
