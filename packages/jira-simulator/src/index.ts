export { basicAuthHeader } from "./auth.ts"
export { type Caller, holdsScopes } from "./authentication.ts"
export { buildIndex, type DataIndex } from "./data-index.ts"
export {
  createDefaultDataset,
  DEFAULT_USERS,
  type DefaultDatasetOptions,
  type GenerateDatasetOptions,
  generateDataset,
  ISSUE_TYPES,
  PRIORITIES,
  SPECIAL_SUMMARIES,
  STATUSES,
  USERS
} from "./dataset.ts"
export { RESOLUTIONS } from "./dataset-details.ts"
export { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED, DEMO_ACCOUNT_SCOPED, DEMO_ACCOUNTS, DEMO_SITE } from "./demo.ts"
export type { Fault, FaultRule, FaultSettings, Faults, PendingFault, RateLimitReason } from "./faults.ts"
export { JqlEndError, JqlSyntaxError } from "./jql/errors.ts"
export { compileQuery, isBounded, MAX_ORDER_BY_FIELDS, UNBOUNDED_MESSAGE } from "./jql/evaluate.ts"
export { quoteJql, type Token, tokenize } from "./jql/lexer.ts"
export { type Clause, type Operand, parseJql, type Query, type SortField } from "./jql/parser.ts"
export { queryStructure } from "./jql/structure.ts"
export { ROUTES, type Route } from "./routes.ts"
export { OPERATION_SCOPES, type OperationId } from "./scopes.ts"
export { type RunningServer, type ServerOptions, startJiraSimulatorServer } from "./server.ts"
export {
  type CallFilter,
  type CallRecord,
  createJiraSimulator,
  type JiraSimulator,
  type JiraSimulatorOptions,
  type SearchOptions
} from "./simulator.ts"
export { cloudIdFor } from "./state.ts"
export { STATUS_CATEGORIES, type StatusCategoryInfo } from "./status-categories.ts"
export { formatJiraDate } from "./time.ts"
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
