export type { CacheEvent, CacheOptions } from "./issue-source.cached.ts"
export * as IssueSourceCached from "./issue-source.cached.ts"
export {
  layerMemory as layerSharedTierMemory,
  makeSharedTierMemory,
  type SharedAnswer,
  SharedTier,
  type SharedTierShape
} from "./shared-tier.ts"
