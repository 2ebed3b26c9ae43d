import { randomUUID } from "node:crypto"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import {
  asManager,
  asViewer,
  connectJira,
  createCredential,
  homeSummary,
  Ids,
  Principal,
  UserId,
  WorkspaceId
} from "@sciple/jira-core"
import { SecretStoreLocal } from "@sciple/local-secrets"
import { Effect, Layer, Redacted } from "effect"
import { MemoryConfigStore } from "./config-store.memory.js"

/** The Jira integration on this service's own ConfigStore, the encrypted-file SecretStore and Jira Cloud. */
export const jiraLayer = (options: { secretsDir: string; routeHosts?: Record<string, string> }) =>
  Layer.mergeAll(
    IssueSourceJiraCloud.layerFetch(options.routeHosts === undefined ? {} : { routeHosts: options.routeHosts }),
    SecretStoreLocal.layer({ dir: options.secretsDir }),
    MemoryConfigStore(),
    Layer.succeed(Ids, Ids.of({ next: Effect.sync(() => randomUUID()) }))
  )

/** Who acts: this service maps its own users and roles to the integration's two permissions. */
export const principal = (userId: string, workspaceId: string, admin: boolean) =>
  new Principal({
    userId: UserId.make(userId),
    workspaceId: WorkspaceId.make(workspaceId),
    permissions: admin ? ["dashboard.view", "settings.manage"] : ["dashboard.view"]
  })

/** Stores the Jira credential, connects the workspace, then reads the home summary as a viewer. */
export const connectAndSummarise = (jira: { site: string; email: string; apiToken: string }) =>
  Effect.gen(function* () {
    const admin = principal("user-1", "workspace-1", true)
    const viewer = principal("user-2", "workspace-1", false)
    const token = Redacted.make(jira.apiToken)
    const credential = yield* createCredential({ name: "Jira bot", username: jira.email, token }).pipe(asManager(admin))
    yield* connectJira({ name: "Our Jira", baseUrl: jira.site, credentialId: credential.id }).pipe(asManager(admin))
    return yield* homeSummary().pipe(asViewer(viewer))
  })
