/** PostgreSQL persistence for the Jira integration: drizzle over postgres.js or PGlite, audit in the same transaction. */
export { CHANGES_CHANNEL, Change, changePayload, notifyChange, parseChange } from "./change-notices.ts"
export { ConfigStoreDrizzle, MAX_AUDIT_PAGE, makeConfigStoreDrizzle } from "./config-store.drizzle.ts"
export { decodeRow } from "./decode-row.ts"
export { databaseFromEnv, layerFromEnv } from "./drizzle-database.env.ts"
export { DEFAULT_DATA_DIR, layerPglite, openPglite, type PgliteOptions } from "./drizzle-database.pglite.ts"
export { layerPostgres, openPostgres, type PostgresOptions } from "./drizzle-database.postgres.ts"
export { type Db, type Driver, DrizzleDatabase, type DrizzleDatabaseShape } from "./drizzle-database.ts"
export {
  type JiraAnswersDrizzle,
  type JiraAnswersOptions,
  jiraAnswersDrizzle,
  makeJiraAnswersDrizzle,
  type StoredAnswer
} from "./jira-answers.drizzle.ts"
export { close, migrate, ping } from "./lifecycle.ts"
export * as schema from "./schema.ts"
export { makeSiteLimitsDrizzle, siteLimitsDrizzle } from "./site-limits.drizzle.ts"
export { invalidInputOrUnavailable, storeUnavailable } from "./store-errors.ts"
