import { Effect, Result } from "effect"
import { SettingsManager } from "../authorization.ts"
import { diffFields } from "../domain/audit.ts"
import type { Credential } from "../domain/credential.ts"
import { JiraConfigId, type WorkspaceId } from "../domain/ids.ts"
import { auditedFields, ConnectionHealth, DEFAULT_JQL, effectiveDefaultJql, JiraConfig } from "../domain/jira-config.ts"
import { parseSiteUrl, type SiteUrl } from "../domain/site-url.ts"
import { AlreadyConnected, type InvalidField, InvalidInput, NotFound } from "../errors.ts"
import { ConfigStore } from "../ports/ConfigStore.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { SecretStore } from "../ports/SecretStore.ts"
import { parseCredentialId } from "./credentials.ts"
import { auditEvent, newId, now, requiredText } from "./support.ts"

/** The Manage > Integrations > Jira form, as typed. */
export interface JiraConfigInput {
  readonly name: string
  readonly baseUrl: string
  readonly credentialId: string
  /** Blank for the bounded fallback. */
  readonly defaultJql?: string | null | undefined
}

const MAX_JQL = 2000

const validSite = (problems: Array<InvalidField>, baseUrl: string): SiteUrl | null => {
  const site = parseSiteUrl(baseUrl)
  if (Result.isSuccess(site)) return site.success
  problems.push({ field: "baseUrl", message: site.failure })
  return null
}

/** The credential the form names, or InvalidInput on the credential field. */
const credentialFor = (workspaceId: WorkspaceId, credentialId: string) =>
  Effect.gen(function* () {
    const id = yield* parseCredentialId(credentialId)
    return yield* (yield* ConfigStore)
      .getCredential(workspaceId, id)
      .pipe(
        Effect.catchTag("NotFound", () =>
          Effect.fail(InvalidInput.one("credentialId", "Select an existing credential."))
        )
      )
  })

const validateForm = Effect.fnUntraced(function* (workspaceId: WorkspaceId, input: JiraConfigInput) {
  const problems: Array<InvalidField> = []
  const name = requiredText(problems, "name", "Name", input.name, 100)
  const site = validSite(problems, input.baseUrl)
  const defaultJql = effectiveDefaultJql(input.defaultJql)
  if (defaultJql.length > MAX_JQL)
    problems.push({ field: "defaultJql", message: `Default JQL must be at most ${MAX_JQL} characters.` })
  const credential = yield* credentialFor(workspaceId, input.credentialId).pipe(
    Effect.catchTag("InvalidInput", (error) => {
      problems.push(...error.fields)
      return Effect.succeed(null)
    })
  )
  if (problems.length > 0 || site === null || credential === null) return yield* new InvalidInput({ fields: problems })
  return { name, site, defaultJql, credential }
})

/** Asks Jira whether the admin's own JQL parses and is bounded; the built-in fallback is known to be. */
const checkJql = Effect.fnUntraced(function* (site: SiteUrl, credential: Credential, jql: string) {
  if (jql === DEFAULT_JQL) return
  const token = yield* (yield* SecretStore).get(credential.secretRef)
  yield* (yield* IssueSource)
    .validateJql(
      { site, email: credential.username, token, cacheKey: `validate/${credential.id}@${credential.version}` },
      jql
    )
    .pipe(Effect.catchTag("JiraInvalidJql", (error) => Effect.fail(InvalidInput.one("defaultJql", error.message))))
})

/** The current configuration and the credentials to pick from, for the settings form. */
export const getJiraSettings = Effect.fn("getJiraSettings")(function* () {
  const manager = yield* SettingsManager
  const store = yield* ConfigStore
  const [config, credentials] = yield* Effect.all(
    [store.getConfig(manager.workspaceId), store.listCredentials(manager.workspaceId)],
    { concurrency: 2 }
  )
  return { config, credentials }
})

/** Connects the workspace to a Jira site: one connection per workspace, audited with the change. */
export const connectJira = Effect.fn("connectJira")(function* (input: JiraConfigInput) {
  const manager = yield* SettingsManager
  const store = yield* ConfigStore
  const form = yield* validateForm(manager.workspaceId, input)
  if ((yield* store.getConfig(manager.workspaceId)) !== null) return yield* new AlreadyConnected()
  yield* checkJql(form.site, form.credential, form.defaultJql)
  const at = yield* now
  const config = new JiraConfig({
    id: JiraConfigId.make(yield* newId),
    workspaceId: manager.workspaceId,
    name: form.name,
    baseUrl: form.site,
    credentialId: form.credential.id,
    defaultJql: form.defaultJql,
    health: null,
    route: null,
    cloudId: null,
    version: 1,
    createdAt: at,
    updatedAt: at
  })
  const audit = yield* auditEvent({
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "JIRA_CONFIG_CREATED",
    at,
    credentialId: config.credentialId,
    changes: diffFields(null, auditedFields(config))
  })
  yield* store.createConfig(config, audit)
  return config
})

/**
 * Changes the configuration that `expectedVersion` describes; a stale version changes nothing. Saving the
 * values already stored succeeds whatever the version (idempotent), so a double-submitted form is not a conflict.
 */
export const updateJira = Effect.fn("updateJira")(function* (input: JiraConfigInput, expectedVersion: number) {
  const manager = yield* SettingsManager
  const store = yield* ConfigStore
  const form = yield* validateForm(manager.workspaceId, input)
  const current = yield* store.getConfig(manager.workspaceId)
  if (current === null) return yield* new NotFound({ entity: "jira_config", id: "" })
  const sameConnection = current.baseUrl === form.site && current.credentialId === form.credential.id
  const sameValues = (config: JiraConfig) =>
    config.baseUrl === form.site &&
    config.credentialId === form.credential.id &&
    config.name === form.name &&
    config.defaultJql === form.defaultJql
  // A repeated Save (a double click) finds its own values already stored: done, not "changed by someone else".
  if (sameValues(current) && current.version >= expectedVersion) return current
  if (current.defaultJql !== form.defaultJql || !sameConnection)
    yield* checkJql(form.site, form.credential, form.defaultJql)
  const at = yield* now
  const next = new JiraConfig({
    ...current,
    name: form.name,
    baseUrl: form.site,
    credentialId: form.credential.id,
    defaultJql: form.defaultJql,
    // A test of another site or account says nothing about this one.
    health: sameConnection ? current.health : null,
    route: sameConnection ? current.route : null,
    cloudId: sameConnection ? current.cloudId : null,
    version: expectedVersion + 1,
    updatedAt: at
  })
  const audit = yield* auditEvent({
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "JIRA_CONFIG_UPDATED",
    at,
    credentialId: next.credentialId,
    changes: diffFields(auditedFields(current), auditedFields(next))
  })
  return yield* store.updateConfig(next, expectedVersion, audit).pipe(
    Effect.as(next),
    // Two identical Saves in flight: the one that loses the race finds the winner stored its very values.
    Effect.catchTag("StaleVersion", (stale) =>
      Effect.flatMap(store.getConfig(manager.workspaceId), (stored) =>
        stored !== null && sameValues(stored) ? Effect.succeed(stored) : Effect.fail(stale)
      )
    )
  )
})

/** Removes the connection and audits it; the credential is kept for reuse. */
export const removeJira = Effect.fn("removeJira")(function* (expectedVersion: number | null) {
  const manager = yield* SettingsManager
  const store = yield* ConfigStore
  const current = yield* store.getConfig(manager.workspaceId)
  if (current === null) return yield* new NotFound({ entity: "jira_config", id: "" })
  const audit = yield* auditEvent({
    workspaceId: manager.workspaceId,
    actorId: manager.userId,
    action: "JIRA_CONFIG_DELETED",
    at: yield* now,
    credentialId: current.credentialId,
    changes: diffFields(auditedFields(current), null)
  })
  yield* store.deleteConfig(manager.workspaceId, expectedVersion, audit)
})

/**
 * Signs in to the site as the credential's account, finding the route (site or gateway) that works within
 * the adapter's short deadline. Jira and secret-store failures are the test's
 * result, not an error. The result is recorded as the connection's health when it tests the saved site
 * and credential. A Default JQL, when given, is checked exactly as Save checks it (its length, then Jira's
 * own parse once the sign-in works): a JQL Save would refuse fails the test with InvalidInput on `defaultJql`.
 */
export const testConnection = Effect.fn("testConnection")(function* (input: {
  readonly baseUrl: string
  readonly credentialId: string
  /** The form's Default JQL, checked as Save checks it once the sign-in works; absent: not checked. */
  readonly defaultJql?: string | null | undefined
}) {
  const manager = yield* SettingsManager
  const problems: Array<InvalidField> = []
  const site = validSite(problems, input.baseUrl)
  const defaultJql = input.defaultJql === undefined ? DEFAULT_JQL : effectiveDefaultJql(input.defaultJql)
  if (defaultJql.length > MAX_JQL)
    problems.push({ field: "defaultJql", message: `Default JQL must be at most ${MAX_JQL} characters.` })
  const credential = yield* credentialFor(manager.workspaceId, input.credentialId).pipe(
    Effect.catchTag("InvalidInput", (error) => {
      problems.push(...error.fields)
      return Effect.succeed(null)
    })
  )
  if (problems.length > 0 || site === null || credential === null) return yield* new InvalidInput({ fields: problems })
  const store = yield* ConfigStore
  const outcome = yield* Effect.gen(function* () {
    const token = yield* (yield* SecretStore).get(credential.secretRef)
    return yield* (yield* IssueSource).testConnection({
      site,
      email: credential.username,
      token,
      cacheKey: `test/${credential.id}@${credential.version}`
    })
  }).pipe(Effect.result)
  // Once the sign-in works, the Default JQL gets Save's own check: what Test accepts, Save accepts.
  const jql = Result.isSuccess(outcome)
    ? yield* checkJql(site, credential, defaultJql).pipe(Effect.result)
    : Result.succeed(undefined)
  const jqlRejected = Result.isFailure(jql) && jql.failure._tag === "InvalidInput" ? jql.failure : null
  const health = new ConnectionHealth({
    checkedAt: yield* now,
    ok: Result.isSuccess(outcome) && (Result.isSuccess(jql) || jqlRejected !== null),
    accountEmail: Result.isSuccess(outcome) ? outcome.success.account.emailAddress : null,
    accountName: Result.isSuccess(outcome) ? outcome.success.account.displayName : null,
    error: Result.isFailure(outcome)
      ? outcome.failure.message
      : Result.isFailure(jql) && jqlRejected === null
        ? jql.failure.message
        : null,
    route: Result.isSuccess(outcome) ? outcome.success.route.kind : null,
    cloudId: Result.isSuccess(outcome) ? outcome.success.cloudId : null
  })
  const saved = yield* store.getConfig(manager.workspaceId)
  if (saved !== null && saved.baseUrl === site && saved.credentialId === credential.id) {
    yield* store.recordHealth(manager.workspaceId, health).pipe(Effect.catchTag("NotFound", () => Effect.void))
  }
  if (jqlRejected !== null) return yield* jqlRejected
  return health
})
