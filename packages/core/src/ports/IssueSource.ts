import { Context, type Effect, type Redacted } from "effect"
import type { IssuePage, JiraAccount, ProjectPage } from "../domain/issues.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import type { JiraError } from "../errors.ts"

/** Everything needed to talk to one site as one account. */
export interface JiraConnection {
  readonly site: SiteUrl
  readonly email: string
  readonly token: Redacted.Redacted<string>
  /**
   * Changes whenever the configuration or the credential behind it changes (their versions), so a
   * cache keyed by it never serves what an older setup fetched.
   */
  readonly cacheKey: string
}

export interface IssueSearch {
  readonly jql: string
  /** At most 100, Jira's page size limit for searches that ask for fields. */
  readonly pageSize: number
  readonly pageToken: string | null
}

export interface ProjectQuery {
  readonly startAt: number
  readonly maxResults: number
  /** Matched against project key and name; empty for all. */
  readonly query: string
}

/** When a result was fetched from Jira (a cache may hand back an older one). */
export interface Fetched<A> {
  readonly value: A
  readonly fetchedAt: Date
}

/**
 * Read-only access to a Jira site, shaped by what the dashboard needs rather than by Jira's API.
 * Implementations: the Jira Cloud REST v3 adapter, its caching decorator, and the in-memory fake.
 */
export class IssueSource extends Context.Service<
  IssueSource,
  {
    /** One page of issues matching the JQL, with the product's fields, most relevant first. */
    searchIssues(connection: JiraConnection, search: IssueSearch): Effect.Effect<Fetched<IssuePage>, JiraError>
    /** Jira's approximate count of matching issues. */
    countIssues(connection: JiraConnection, jql: string): Effect.Effect<Fetched<number>, JiraError>
    /** One page of the projects the account can see. */
    listProjects(connection: JiraConnection, query: ProjectQuery): Effect.Effect<Fetched<ProjectPage>, JiraError>
    /** The account the credential signs in as (the connection test). */
    getAccount(connection: JiraConnection): Effect.Effect<JiraAccount, JiraError>
    /** Fails with JiraInvalidJql when the query does not parse or is unbounded. */
    validateJql(connection: JiraConnection, jql: string): Effect.Effect<void, JiraError>
  }
>()("@sciple/jira-core/IssueSource") {}

/**
 * Set to true around a use case to make a caching IssueSource skip its cache (the refresh control).
 * Implementations without a cache ignore it.
 */
export const BypassCache = Context.Reference<boolean>("@sciple/jira-core/BypassCache", { defaultValue: () => false })
