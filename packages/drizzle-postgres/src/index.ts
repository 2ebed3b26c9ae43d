// PostgreSQL persistence for the Jira integration: drizzle over postgres.js or PGlite, audit in the same transaction.

/** @public change notices: what the app's caches listen to */
export { Change, changePayload, notifyChange } from "./change-notices.ts"
/** @public the ConfigStore, and the audit insert another store's write uses in its own transaction (the app's API tokens) */
export { ConfigStoreDrizzle, insertAuditEvent } from "./config-store.drizzle.ts"
export { decodeRow } from "./decode-row.ts"
/** @public the one-line database for an embedder: PostgreSQL when DATABASE_URL is set, else PGlite */
export { layerFromEnv } from "./drizzle-database.env.ts"
/** @public each driver's options */
export { layerPglite, openPglite, type PgliteOptions } from "./drizzle-database.pglite.ts"
/** @public */
export { layerPostgres, openPostgres, type PostgresOptions } from "./drizzle-database.postgres.ts"
/** @public the database service and the types of what it hands out */
export { type Db, type Driver, DrizzleDatabase, type DrizzleDatabaseShape } from "./drizzle-database.ts"
/** @public the shared tier's store and its options */
export {
  type JiraAnswersDrizzle,
  type JiraAnswersOptions,
  jiraAnswersDrizzle,
  makeJiraAnswersDrizzle,
  type StoredAnswer
} from "./jira-answers.drizzle.ts"
export * as schema from "./schema.ts"
/** @public the shared Jira limits' store */
/** @internal not used by production code: for tests and test support */
export { makeSiteLimitsDrizzle, siteLimitsDrizzle } from "./site-limits.drizzle.ts"
export { invalidInputOrUnavailable, storeUnavailable } from "./store-errors.ts"
