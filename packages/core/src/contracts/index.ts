/**
 * The contract suites: what every implementation of a port must do. They run under vitest with @effect/vitest
 * (optional peers of this package); the fakes and builders they use are in `@sciple/jira-core/testing`.
 */
/** @public the suite and the seeding hook an implementation passes it */
export { configStoreContract, type SeedWorkspace } from "./config-store.contract.ts"
export { type IssueSourceFixture, issueSourceContract } from "./issue-source.contract.ts"
export { secretStoreContract } from "./secret-store.contract.ts"
