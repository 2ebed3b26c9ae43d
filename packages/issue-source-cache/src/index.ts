/** @public the layer's options and what it reports */
export type { CacheEvent, CacheOptions } from "./issue-source.cached.ts"
export * as IssueSourceCached from "./issue-source.cached.ts"
/** @public the shared tier's port and its in-memory implementation */
export {
  makeSharedTierMemory,
  type SharedAnswer,
  SharedTier,
  type SharedTierShape
} from "./shared-tier.ts"
