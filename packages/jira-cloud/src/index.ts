/** @public what an embedder passes to the layer */
export type { FetchOptions, JiraCloudOptions } from "./issue-source.jira-cloud.ts"
export * as IssueSourceJiraCloud from "./issue-source.jira-cloud.ts"
/** @public Atlassian's API gateway, where scoped tokens are sent (an embedder may route it) */
export { DEFAULT_GATEWAY_ORIGIN } from "./jira-http.ts"
/** @public whole walks over any IssueSource (a cache in front included), for services that need every page */
export { type AllProjects, type IssueWalk, listAllProjects, searchAllIssues } from "./paging.ts"
/** @public the `retry` option's shape */
export type { RetryPolicy } from "./retry-policy.ts"
/** @public an embedder routes a demo site to a local simulator with it */
export { routeHosts } from "./route-hosts.ts"
export { CLASSIC_SCOPES, GRANULAR_SCOPES } from "./scopes.ts"
/** @public the `siteLimits` option's shape: a store shared by every instance implements it */
export type { SiteLimitsShape, SitePause } from "./site-limits.ts"
