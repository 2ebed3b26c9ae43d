export type { CacheOptions } from "./issue-source.cached.ts"
export * as IssueSourceCached from "./issue-source.cached.ts"
