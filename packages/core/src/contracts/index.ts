/**
 * The contract suites: what every implementation of a port must do. They run under vitest with @effect/vitest
 * (optional peers of this package); the fakes and builders they use are in `@sciple/jira-core/testing`.
 */
/** @public the suite and the seeding hook an implementation passes it */
export { configStoreContract } from "./config-store.contract.ts"
/** @public the create path over a store behind the fault switchboard (adr/0028) */
export { credentialCreateContract } from "./credential-create.contract.ts"
/** @internal not used by production code: for tests and test support */
export { type IssueSourceFixture, issueSourceContract } from "./issue-source.contract.ts"
/** @internal not used by production code: for tests and test support */
export { secretStoreContract } from "./secret-store.contract.ts"
/** @public the seeding hook an implementation passes the suites */
export type { SeedWorkspace } from "./seed-workspace.ts"
