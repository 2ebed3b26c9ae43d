/** The testing entry point: in-memory fakes of every port and test data builders. No test runner is needed. */
export * from "./config-store.faulty.ts"
export * from "./config-store.in-memory.ts"
export * from "./faults.ts"
/** @public builders for any implementation's tests */
export { aConfig, aCredential, anAudit, newWorkspaceIds, uniqueId } from "./fixtures.ts"
export * from "./ids.sequential.ts"
export * from "./issue-source.fake.ts"
/** @internal not used by production code: for tests and test support */
export { makeLeakRecorder, serialize } from "./leak-recorder.ts"
/** @public the fake source's issue shape */
export type { FakeIssue } from "./mini-jql.ts"
export * from "./mothers.ts"
export * from "./secret-store.in-memory.ts"
