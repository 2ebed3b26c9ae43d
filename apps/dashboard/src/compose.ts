import { join } from "node:path"
import {
  ConfigStoreDrizzle,
  DrizzleDatabase,
  jiraAnswersDrizzle,
  layerPglite,
  layerPostgres,
  siteLimitsDrizzle
} from "@sciple/drizzle-postgres"
import { IssueSourceCached, SharedTier } from "@sciple/issue-source-cache"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import type { SecretStore } from "@sciple/jira-core"
import { SecretStoreLocal } from "@sciple/local-secrets"
import { Effect, Layer, Logger, References } from "effect"
import * as AccountStoreCached from "./caching/account-store.cached.ts"
import { ChangeFeed } from "./caching/change-feed.ts"
import * as ConfigStoreCached from "./caching/config-store.cached.ts"
import { PageCache } from "./caching/page-cache.ts"
import * as SecretStoreCached from "./caching/secret-store.cached.ts"
import { AccountStoreDrizzle } from "./identity/index.ts"
import { PendingCredentialsJob } from "./jobs/pending-credentials.job.ts"
import { loggerFor } from "./observability/logging.ts"
import { telemetryLayer } from "./observability/telemetry.ts"
import { IdsRandom } from "./platform/tokens.ts"
import type { Settings } from "./settings.ts"

/**
 * The composition root: every port bound to its adapter from the settings. Nothing else in the
 * repository knows more than one adapter.
 */
export const appLayer = (
  settings: Settings,
  options: { readonly routeHosts?: Readonly<Record<string, string>> } = {}
) => {
  const database =
    settings.databaseUrl !== null ? layerPostgres(settings.databaseUrl) : layerPglite({ dataDir: settings.dataDir })
  const cachedSecrets = <E>(secrets: Layer.Layer<SecretStore, E>) =>
    SecretStoreCached.layer().pipe(Layer.provide(secrets))
  const secrets =
    settings.secretStore === "aws"
      ? // Loaded only when chosen: the AWS SDK alone costs tens of MB of memory in every process.
        cachedSecrets(
          Layer.unwrap(
            Effect.promise(() => import("@sciple/aws-secrets-manager")).pipe(
              Effect.map((m) => m.SecretStoreAws.layerConfig)
            )
          )
        )
      : cachedSecrets(
          SecretStoreLocal.layer({
            dir: join(settings.dataDir, "secrets"),
            key: settings.secretsLocalKey ?? undefined
          })
        )
  // The stores' reads and the rendered pages from memory, dropped by every instance's change notices.
  const accounts = AccountStoreCached.layer().pipe(Layer.provide(AccountStoreDrizzle))
  const stores = Layer.mergeAll(
    ConfigStoreCached.layer().pipe(Layer.provide(ConfigStoreDrizzle)),
    secrets,
    PageCache.layer()
  ).pipe(Layer.provideMerge(accounts), Layer.provideMerge(ChangeFeed.layerDatabase), Layer.provideMerge(database))
  // Jira answers in memory in front of the database's shared tier, and Jira's limits shared by every
  // instance (adr/0024): the same code on PostgreSQL and on the embedded PGlite.
  const jiraCloud = Layer.unwrap(
    Effect.map(siteLimitsDrizzle, (siteLimits) =>
      IssueSourceJiraCloud.layerFetch({
        requestTimeout: `${settings.jiraTimeoutMs} millis`,
        siteLimits,
        ...(options.routeHosts === undefined ? {} : { routeHosts: options.routeHosts })
      })
    )
  )
  const jira = IssueSourceCached.layerShared({
    ttlSeconds: settings.cacheTtlSeconds,
    maxStaleSeconds: settings.maxStaleSeconds,
    // A claim outlives the slowest fetch it stands for (a request with its retries) before another may take it.
    claimTimeoutMs: Math.max(20_000, settings.jiraTimeoutMs * 2)
  }).pipe(
    Layer.provide(jiraCloud),
    Layer.provide(Layer.effect(SharedTier, jiraAnswersDrizzle())),
    Layer.provide(database)
  )
  const logging = Layer.mergeAll(
    Logger.layer([loggerFor(settings.logFormat)]),
    Layer.succeed(References.MinimumLogLevel, settings.logLevel)
  )
  // Metrics and traces under everything, so the adapters' own metrics land in this process's registry.
  // Interrupted credential creates are settled at start and every few minutes (adr/0028).
  const jobs = PendingCredentialsJob.pipe(Layer.provide(stores), Layer.provide(logging))
  return Layer.mergeAll(stores, jira, IdsRandom, logging, jobs).pipe(Layer.provideMerge(telemetryLayer(settings)))
}

export { DrizzleDatabase, PageCache }
