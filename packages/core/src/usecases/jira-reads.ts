import { Effect } from "effect"
import { InvalidInput, JiraInvalidJql, NotFound } from "../errors.ts"
import { IssueSource, type JiraConnection } from "../ports/IssueSource.ts"

// What every Jira read of the dashboard shares: page sizes, counts and searches through the port, project keys.
/** Jira's page size for searches with fields, and the size of the chart sample. */
export const SAMPLE_SIZE = 100
/** Rows per issue-table page; a divisor of SAMPLE_SIZE so table pages are slices of Jira pages. */
export const TABLE_PAGE_SIZE = 25

export const countOf = (connection: JiraConnection, jql: string) =>
  IssueSource.use((source) => source.countIssues(connection, jql))

/** A caller's page size: a whole number from 1 to SAMPLE_SIZE (Jira's largest page), else the default. */
export const pageSizeOf = (size: number | undefined, fallback: number) =>
  size === undefined
    ? Effect.succeed(fallback)
    : Number.isInteger(size) && size >= 1 && size <= SAMPLE_SIZE
      ? Effect.succeed(size)
      : Effect.fail(InvalidInput.one("limit", `limit must be a whole number from 1 to ${SAMPLE_SIZE}.`))

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,99}$/

export const parseProjectKey = (key: string) => {
  const upper = key.trim().toUpperCase()
  return PROJECT_KEY.test(upper)
    ? Effect.succeed(upper)
    : Effect.fail(
        InvalidInput.one("projectKey", "A project key is letters, digits and underscores, starting with a letter.")
      )
}

export const searchPage = (connection: JiraConnection, jql: string, pageToken: string | null) =>
  IssueSource.use((source) => source.searchIssues(connection, { jql, pageSize: SAMPLE_SIZE, pageToken }))

/** A Jira "does not exist for the field 'project'" answer is a missing project, not bad JQL. */
export const projectNotFound =
  (projectKey: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | NotFound, R> =>
    Effect.mapError(self, (error) =>
      error instanceof JiraInvalidJql && error.messages.some((m) => /field 'project'/i.test(m))
        ? new NotFound({ entity: "project", id: projectKey })
        : error
    )
