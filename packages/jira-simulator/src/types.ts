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
}

export interface Dataset {
  readonly users: ReadonlyArray<SimUser>
  readonly statuses: ReadonlyArray<SimStatus>
  readonly priorities: ReadonlyArray<SimPriority>
  readonly issueTypes: ReadonlyArray<SimIssueType>
  readonly projects: ReadonlyArray<SimProject>
  readonly issues: ReadonlyArray<SimIssue>
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
}
