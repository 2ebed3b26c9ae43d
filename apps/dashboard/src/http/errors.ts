import type { CoreError, InvalidField } from "@sciple/jira-core"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { problemType } from "./problems.ts"

/**
 * The one place that maps the core's typed errors to HTTP (adr/0004). Pages and the JSON API both use it;
 * each error's `message` is already written for a person.
 */
export type TaggedError = CoreError

// `satisfies` makes a core error without a status here a compile error, not a 500 at run time.
const STATUS = {
  NotPermitted: 403,
  NotFound: 404,
  NotConnected: 409,
  AlreadyConnected: 409,
  StaleVersion: 409,
  CredentialInUse: 409,
  InvalidInput: 422,
  StoreUnavailable: 503,
  JiraUnauthorized: 502,
  JiraForbidden: 502,
  JiraInvalidJql: 400,
  JiraRateLimited: 503,
  JiraSiteNotFound: 502,
  JiraEndpointRemoved: 502,
  JiraUnavailable: 504,
  JiraUnexpectedResponse: 502,
  JiraScopeMissing: 502,
  SecretNotFound: 503,
  SecretStoreError: 503
} as const satisfies Record<CoreError["_tag"], ContentfulStatusCode>

/** What each problem's `title` says to a person; `satisfies` makes a new core error without one a compile error. */
const TITLE = {
  NotPermitted: "Not permitted",
  NotFound: "Not found",
  NotConnected: "Jira is not connected",
  AlreadyConnected: "Jira is already connected",
  StaleVersion: "Changed by someone else meanwhile",
  CredentialInUse: "Credential still in use",
  InvalidInput: "Some values are not valid",
  StoreUnavailable: "Storage unavailable",
  JiraUnauthorized: "Jira refused the credential",
  JiraForbidden: "Jira denied access",
  JiraInvalidJql: "Jira could not use the JQL",
  JiraRateLimited: "Jira rate limit reached",
  JiraSiteNotFound: "Jira site not found",
  JiraEndpointRemoved: "Jira no longer offers this",
  JiraUnavailable: "Jira could not be reached",
  JiraUnexpectedResponse: "Jira gave an unexpected answer",
  JiraScopeMissing: "API token lacks a scope",
  SecretNotFound: "Credential secret missing",
  SecretStoreError: "Secret store unavailable"
} as const satisfies Record<CoreError["_tag"], string>

export const statusOf = (error: TaggedError): ContentfulStatusCode => STATUS[error._tag]

const hasFields = (error: TaggedError): error is Extract<TaggedError, { readonly _tag: "InvalidInput" }> =>
  error._tag === "InvalidInput"

const retryAfterOf = (error: TaggedError): number | null =>
  error._tag === "JiraRateLimited" ? Math.ceil(error.retryAfterSeconds) : null

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly errors?: ReadonlyArray<InvalidField>
  readonly retryAfterSeconds?: number
}

/** An RFC 9457 problem document for the JSON API. */
export const problemOf = (error: TaggedError): Problem => {
  const status = statusOf(error)
  const retry = retryAfterOf(error)
  return {
    type: problemType(error._tag),
    title: TITLE[error._tag],
    status,
    detail: error.message,
    code: error._tag,
    ...(hasFields(error) ? { errors: error.fields } : {}),
    ...(retry !== null ? { retryAfterSeconds: retry } : {})
  }
}

export const headersOf = (error: TaggedError): Record<string, string> => {
  const retry = retryAfterOf(error)
  return retry !== null ? { "Retry-After": String(retry) } : {}
}

export const fieldErrors = (error: TaggedError): Readonly<Record<string, string>> =>
  hasFields(error) ? Object.fromEntries(error.fields.map((f) => [f.field, f.message])) : {}
