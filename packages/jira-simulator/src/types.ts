/** The data model of a simulated Jira Cloud site. Everything is plain JSON-friendly data. */

export type StatusCategoryKey = "new" | "indeterminate" | "done" | "undefined"

export type AccountType = "atlassian" | "app" | "customer"

export interface SimUser {
  readonly accountId: string
  readonly displayName: string
  /** Jira hides most users' email addresses; `undefined` leaves the field out. */
  readonly emailAddress?: string | null | undefined
  readonly accountType: AccountType
  readonly active: boolean
  readonly timeZone: string
}

export interface SimStatus {
  readonly id: string
  readonly name: string
  readonly category: StatusCategoryKey
}

export interface SimPriority {
  readonly id: string
  readonly name: string
  /** File name under /images/icons/priorities/ */
  readonly icon: string
}

export interface SimIssueType {
  readonly id: string
  readonly name: string
  readonly subtask: boolean
  readonly hierarchyLevel: number
}

export interface SimProject {
  readonly id: string
  readonly key: string
  readonly name: string
  /** An open string: real sites send `product_discovery`, which Atlassian's own enum lacks. */
  readonly projectTypeKey: string
  readonly leadAccountId: string
  readonly simplified: boolean
  readonly avatarId: string
  readonly description: string
}

export interface SimIssue {
  readonly id: string
  readonly key: string
  readonly projectKey: string
  readonly summary: string
  readonly statusId: string
  readonly issueTypeId: string
  readonly assigneeAccountId: string | null
  /** `null`: the field is empty; `undefined`: the project has no priority field at all. */
  readonly priorityId?: string | null | undefined
  /** Epoch milliseconds. */
  readonly created: number
  /** Epoch milliseconds. */
  readonly updated: number
  /** Resolution id; `null` or absent: Unresolved. */
  readonly resolutionId?: string | null | undefined
  /** When the issue was last resolved (epoch ms); set with a resolution. */
  readonly resolved?: number | null | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  /** Component ids of the issue's project. */
  readonly componentIds?: ReadonlyArray<string> | undefined
  readonly reporterAccountId?: string | null | undefined
  /** The parent's key: an epic for standard issues, a standard issue for sub-tasks. */
  readonly parentKey?: string | null | undefined
  /** Version ids of the issue's project. */
  readonly fixVersionIds?: ReadonlyArray<string> | undefined
  /** Sprint ids, oldest first (an issue carried over keeps its closed sprints). */
  readonly sprintIds?: ReadonlyArray<number> | undefined
  /** Custom fields by numeric id: 10010 story points (number). */
  readonly customFields?: Readonly<Record<string, number | string | null>> | undefined
  /** LexoRank-like string: issues sort by it in `ORDER BY Rank`. */
  readonly rank?: string | undefined
  readonly description?: string | null | undefined
  /** Comment bodies, plain text. */
  readonly comments?: ReadonlyArray<string> | undefined
  /** Status changes, oldest first; the issue was created in the first `from` (or its current status if none). */
  readonly statusHistory?: ReadonlyArray<SimStatusChange> | undefined
}

export interface SimStatusChange {
  /** Epoch milliseconds. */
  readonly at: number
  readonly fromStatusId: string
  readonly toStatusId: string
  readonly byAccountId: string | null
}

export interface SimResolution {
  readonly id: string
  readonly name: string
}

export interface SimComponent {
  readonly id: string
  readonly projectKey: string
  readonly name: string
}

export interface SimVersion {
  readonly id: string
  readonly projectKey: string
  readonly name: string
  readonly released: boolean
}

export interface SimSprint {
  readonly id: number
  /** The board's project: one board per software project. */
  readonly projectKey: string
  readonly name: string
  readonly state: "closed" | "active" | "future"
}

export interface Dataset {
  readonly users: ReadonlyArray<SimUser>
  readonly statuses: ReadonlyArray<SimStatus>
  readonly priorities: ReadonlyArray<SimPriority>
  readonly issueTypes: ReadonlyArray<SimIssueType>
  readonly projects: ReadonlyArray<SimProject>
  readonly issues: ReadonlyArray<SimIssue>
  readonly resolutions?: ReadonlyArray<SimResolution> | undefined
  readonly components?: ReadonlyArray<SimComponent> | undefined
  readonly versions?: ReadonlyArray<SimVersion> | undefined
  readonly sprints?: ReadonlyArray<SimSprint> | undefined
}

/** A credential the simulated site accepts, and the account it signs in as. */
export interface SimAccount {
  /** The Basic-auth user name. */
  readonly email: string
  readonly apiToken: string
  readonly accountId: string
  readonly displayName: string
  /** What `/myself` shows: a string, `null` (hidden by profile visibility), or `undefined` (left out). */
  readonly emailAddress?: string | null | undefined
  readonly accountType?: AccountType | undefined
  /** IANA zone: dates in responses and date literals in JQL use it. */
  readonly timeZone?: string | undefined
  /** `en_US`, `de_DE` or `fr_FR`: the language of status category names. */
  readonly locale?: string | undefined
  /** Keys of the projects this account may browse; all when absent. */
  readonly projects?: ReadonlyArray<string> | undefined
  /**
   * Present: a scoped API token holding these scopes. It is refused on the site URL and works only through
   * the gateway, for operations whose scopes it holds. Absent: a classic (unscoped) token.
   */
  readonly scopes?: ReadonlyArray<string> | undefined
  /** ISO instant after which the token is refused (scoped tokens expire after 1-365 days). */
  readonly expiresAt?: string | undefined
  /** A revoked token is refused like a wrong one. */
  readonly revoked?: boolean | undefined
}
