import { join } from "node:path"
import { SecretStoreAws } from "@sciple/aws-secrets-manager"
import {
  AccountStoreDrizzle,
  ConfigStoreDrizzle,
  DrizzleDatabase,
  layerPglite,
  layerPostgres
} from "@sciple/drizzle-postgres"
import { IssueSourceCached } from "@sciple/issue-source-cache"
import { IssueSourceJiraCloud } from "@sciple/jira-cloud"
import { SecretStoreLocal } from "@sciple/local-secrets"
import { Layer, Logger, References } from "effect"
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
  const stores = Layer.mergeAll(ConfigStoreDrizzle, AccountStoreDrizzle).pipe(Layer.provideMerge(database))
  const secrets =
    settings.secretStore === "aws"
      ? SecretStoreAws.layerConfig
      : SecretStoreLocal.layer({ dir: join(settings.dataDir, "secrets") })
  const jira = IssueSourceCached.layer({ ttlSeconds: settings.cacheTtlSeconds }).pipe(
    Layer.provide(
      IssueSourceJiraCloud.layerFetch({
        requestTimeout: `${settings.jiraTimeoutMs} millis`,
        ...(options.routeHosts === undefined ? {} : { routeHosts: options.routeHosts })
      })
    )
  )
  const logging = Layer.mergeAll(
    Logger.layer([Logger.consoleLogFmt]),
    Layer.succeed(References.MinimumLogLevel, settings.logLevel)
  )
  return Layer.mergeAll(stores, secrets, jira, IdsRandom, logging)
}

export { DrizzleDatabase }
