export type OperationId =
  | "getCurrentUser"
  | "searchAndReconsileIssuesUsingJqlPost"
  | "searchAndReconsileIssuesUsingJql"
  | "countIssues"
  | "searchProjects"
  | "getProject"
  | "parseJqlQueries"

/**
 * The scope sets of each operation the simulator serves, copied from the `x-atlassian-oauth2-scopes` of
 * Atlassian's OpenAPI document (a classic set, then the granular set). `scopes.test.ts` checks this table
 * against the extracted subset in test-data, so it cannot drift from the document.
 */
export const OPERATION_SCOPES: Readonly<Record<OperationId, ReadonlyArray<ReadonlyArray<string>>>> = {
  getCurrentUser: [
    ["read:jira-user"],
    ["read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"]
  ],
  searchAndReconsileIssuesUsingJqlPost: [
    ["read:jira-work"],
    [
      "read:issue-details:jira",
      "read:field.default-value:jira",
      "read:field.option:jira",
      "read:field:jira",
      "read:group:jira"
    ]
  ],
  searchAndReconsileIssuesUsingJql: [
    ["read:jira-work"],
    [
      "read:issue-details:jira",
      "read:audit-log:jira",
      "read:avatar:jira",
      "read:field-configuration:jira",
      "read:issue-meta:jira"
    ]
  ],
  countIssues: [
    ["read:jira-work"],
    [
      "read:issue-details:jira",
      "read:field.default-value:jira",
      "read:field.option:jira",
      "read:field:jira",
      "read:group:jira"
    ]
  ],
  searchProjects: [
    ["read:jira-work"],
    [
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
  ],
  getProject: [
    ["read:jira-work"],
    [
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
  ],
  parseJqlQueries: [["read:jira-work"], ["read:field:jira", "validate:jql:jira", "read:jql:jira"]]
}
