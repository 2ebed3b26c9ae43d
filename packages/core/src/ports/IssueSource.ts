import { Context, type Effect, type Redacted } from "effect"
import type { AvatarImage } from "../domain/avatar.ts"
import type { IssuePage, JiraAccount, ProjectPage } from "../domain/issues.ts"
import type { JiraRouteKind } from "../domain/jira-config.ts"
import type { SiteUrl } from "../domain/site-url.ts"
import type { JiraError } from "../errors.ts"

/** Where REST calls go: the site, or Atlassian's gateway for the site's cloudId (adr/0020). */
export type JiraRoute =
  | { readonly kind: Extract<JiraRouteKind, "site"> }
  | { readonly kind: Extract<JiraRouteKind, "gateway">; readonly cloudId: string }

/** What a connection test found: who the credential signs in as, by which route, and the site's cloudId. */
export interface ConnectionProbe {
  readonly account: JiraAccount
  readonly route: JiraRoute
  /** Null when the site gave none (then only the site route can work). */
  readonly cloudId: string | null
}

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
  /** The recorded route; absent or null: the adapter tries the site and falls back to the gateway itself. */
  readonly route?: JiraRoute | null
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
  /** Exact project keys (ignores `query`): the lookup of one project by its key. */
  readonly keys?: ReadonlyArray<string>
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
    /**
     * One page of issues matching the JQL, with the product's fields, most relevant first. A page token the
     * site refuses (expired, foreign) gives the first page instead, flagged `restarted`.
     */
    searchIssues(connection: JiraConnection, search: IssueSearch): Effect.Effect<Fetched<IssuePage>, JiraError>
    /** Jira's approximate count of matching issues. */
    countIssues(connection: JiraConnection, jql: string): Effect.Effect<Fetched<number>, JiraError>
    /** One page of the projects the account can see. */
    listProjects(connection: JiraConnection, query: ProjectQuery): Effect.Effect<Fetched<ProjectPage>, JiraError>
    /** The account the credential signs in as (the connection test). */
    getAccount(connection: JiraConnection): Effect.Effect<JiraAccount, JiraError>
    /**
     * Test connection: finds the route that works and signs in, within one short deadline and without
     * retries, failing with the specific reason.
     */
    testConnection(connection: JiraConnection): Effect.Effect<ConnectionProbe, JiraError>
    /** Fails with JiraInvalidJql when the query does not parse or is unbounded. */
    validateJql(connection: JiraConnection, jql: string): Effect.Effect<void, JiraError>
    /**
     * An avatar image from one of `avatarUrls`, fetched as the connection (the site's custom avatars need the
     * credential). Only URLs `avatarSource` accepts; others fail with JiraUnexpectedResponse without a request.
     */
    avatar(connection: JiraConnection, url: string): Effect.Effect<Fetched<AvatarImage>, JiraError>
  }
>()("@sciple/jira-core/IssueSource") {}

/**
 * Set to true around a use case to make a caching IssueSource skip its cache (the refresh control).
 * Implementations without a cache ignore it.
 */
export const BypassCache = Context.Reference<boolean>("@sciple/jira-core/BypassCache", { defaultValue: () => false })
