/**
 * The OAuth 2.0 scopes each Jira operation the adapter calls needs, as Atlassian's OpenAPI document lists
 * them (`x-atlassian-oauth2-scopes`): the classic set ("Current") and the granular one. A scoped API token
 * needs them; `scopes.test.ts` re-derives this table from the document's extract in `test-data/`.
 */
export interface OperationScopes {
  readonly operationId: string
  /** What the operation is for, in words a person reads in an error. */
  readonly purpose: string
  readonly classic: ReadonlyArray<string>
  readonly granular: ReadonlyArray<string>
}

const ISSUE_READ = [
  "read:issue-details:jira",
  "read:field.default-value:jira",
  "read:field.option:jira",
  "read:field:jira",
  "read:group:jira"
]

const PROJECT_READ = [
  "read:issue-type:jira",
  "read:project:jira",
  "read:project.property:jira",
  "read:user:jira",
  "read:application-role:jira",
  "read:avatar:jira",
  "read:group:jira",
  "read:issue-type-hierarchy:jira",
  "read:project-category:jira",
  "read:project-version:jira",
  "read:project.component:jira"
]

/** Keyed by `METHOD path`, as the adapter names an endpoint. */
export const OPERATION_SCOPES: Readonly<Record<string, OperationScopes>> = {
  "GET /rest/api/3/myself": {
    operationId: "getCurrentUser",
    purpose: "sign in (Test connection)",
    classic: ["read:jira-user"],
    granular: ["read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"]
  },
  "POST /rest/api/3/search/jql": {
    operationId: "searchAndReconsileIssuesUsingJqlPost",
    purpose: "search issues",
    classic: ["read:jira-work"],
    granular: ISSUE_READ
  },
  "POST /rest/api/3/search/approximate-count": {
    operationId: "countIssues",
    purpose: "count issues",
    classic: ["read:jira-work"],
    granular: ISSUE_READ
  },
  "GET /rest/api/3/project/search": {
    operationId: "searchProjects",
    purpose: "list projects",
    classic: ["read:jira-work"],
    granular: PROJECT_READ
  },
  "POST /rest/api/3/jql/parse": {
    operationId: "parseJqlQueries",
    purpose: "check JQL",
    classic: ["read:jira-work"],
    granular: ["read:field:jira", "validate:jql:jira", "read:jql:jira"]
  }
}

const union = (pick: (scopes: OperationScopes) => ReadonlyArray<string>): ReadonlyArray<string> =>
  [...new Set(Object.values(OPERATION_SCOPES).flatMap(pick))].sort()

/** Every scope the product needs, for a token with classic scopes. */
export const CLASSIC_SCOPES = union((operation) => operation.classic)
/** Every scope the product needs, for a token with granular scopes. */
export const GRANULAR_SCOPES = union((operation) => operation.granular)
