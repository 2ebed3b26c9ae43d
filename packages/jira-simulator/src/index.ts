/** @internal not used by production code: for tests and test support */
export { basicAuthHeader } from "./auth.ts"
/** @public the dataset builders and their options */
export {
  createDefaultDataset,
  type DefaultDatasetOptions,
  type GenerateDatasetOptions,
  generateDataset
} from "./dataset.ts"
/** @public the demo site and its accounts, shared by the demo, the tests and the browser suite */
export { DEMO_ACCOUNT, DEMO_ACCOUNT_SCOPED, DEMO_SITE } from "./demo.ts"
/** @public the fault rules a test arms */
export type { Fault, FaultRule, Faults, RateLimitReason } from "./faults.ts"
/** @public the loopback server and its options */
export { type RunningServer, type ServerOptions, startJiraSimulatorServer } from "./server.ts"
/** @public the simulator and the shapes of what it records */
export {
  type CallFilter,
  type CallRecord,
  createJiraSimulator,
  type JiraSimulator,
  type JiraSimulatorOptions,
  type SearchOptions
} from "./simulator.ts"
/** @public the dataset's shapes */
export type {
  AccountType,
  Dataset,
  SimAccount,
  SimComponent,
  SimIssue,
  SimIssueType,
  SimPriority,
  SimProject,
  SimResolution,
  SimSprint,
  SimStatus,
  SimStatusChange,
  SimUser,
  SimVersion,
  StatusCategoryKey
} from "./types.ts"
