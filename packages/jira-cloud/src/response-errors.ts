import {
  JiraEndpointRemoved,
  type JiraError,
  JiraForbidden,
  JiraInvalidJql,
  JiraRateLimited,
  JiraScopeMissing,
  JiraSiteNotFound,
  JiraUnauthorized,
  JiraUnavailable,
  JiraUnexpectedResponse
} from "@sciple/jira-core"
import { Result, Schema } from "effect"
import { ErrorCollection } from "./jira-json.ts"
import { OPERATION_SCOPES } from "./scopes.ts"

const MAX_MESSAGES = 10
const MAX_MESSAGE_LENGTH = 500

const decodeErrorCollection = Schema.decodeUnknownResult(ErrorCollection)

/** Jira's `errorMessages` then the values of `errors`; none when the body is not Jira's JSON error shape. */
const jiraMessages = (body: string): Array<string> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return []
  }
  const decoded = decodeErrorCollection(json)
  if (Result.isFailure(decoded)) return []
  const { errorMessages = [], errors = {} } = decoded.success
  return [...errorMessages, ...Object.values(errors)]
    .map((message) => message.trim())
    .filter((message) => message.length > 0)
    .slice(0, MAX_MESSAGES)
    .map((message) => (message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message))
}

export interface ErrorResponse {
  readonly status: number
  /** Lower-case names, as Effect's Headers keep them. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/** A body in Jira's JSON error shape (not an HTML page from a wrong host or path). */
export const isJiraJson = (body: string): boolean => {
  try {
    return Schema.is(ErrorCollection)(JSON.parse(body))
  } catch {
    return false
  }
}

/** A CAPTCHA lock after failed sign-ins: Jira says so in either header, on a 401 or a 403. */
export const isCaptcha = (response: ErrorResponse): boolean =>
  (response.status === 401 || response.status === 403) &&
  ((response.headers["x-seraph-loginreason"] ?? "").includes("AUTHENTICATION_DENIED") ||
    (response.headers["x-authentication-denied-reason"] ?? "").toUpperCase().includes("CAPTCHA_CHALLENGE"))

/** A scoped token refused: `{"code":401,"message":"Unauthorized; scope does not match"}`. */
const isScopeMismatch = (response: ErrorResponse): boolean =>
  response.status === 401 && /scope does not match/i.test(response.body)

/** The scopes `endpoint` needs, as a typed error naming them. */
const scopeMissing = (endpoint: string): JiraScopeMissing => {
  const scopes = OPERATION_SCOPES[endpoint]
  return new JiraScopeMissing({
    operation: scopes?.purpose ?? endpoint,
    scopes: scopes?.classic ?? [],
    granularScopes: scopes?.granular ?? []
  })
}

/**
 * The typed error for a non-2xx answer, as it stands when no retry is left. `endpoint` names the call
 * (`POST /rest/api/3/search/jql`); nothing of the request's credentials is ever part of an error.
 */
export const errorForResponse = (endpoint: string, response: ErrorResponse, retryAfterMs: number | null): JiraError => {
  const { status, headers } = response
  switch (status) {
    case 400: {
      const messages = jiraMessages(response.body)
      return new JiraInvalidJql({ messages: messages.length > 0 ? messages : ["Jira gave no reason."] })
    }
    case 401:
      // A scoped token on the site, or one lacking a scope on the gateway: the same 401 with this body.
      if (isScopeMismatch(response)) return scopeMissing(endpoint)
      // Often a plain-text body ("Client must be authenticated..."): the status alone decides.
      return new JiraUnauthorized()
    case 403:
      return new JiraForbidden({ reason: isCaptcha(response) ? "captcha" : "permission" })
    case 404:
      return new JiraSiteNotFound()
    case 410:
      return new JiraEndpointRemoved({ endpoint })
    case 429:
      return new JiraRateLimited({
        retryAfterSeconds: (retryAfterMs ?? 0) / 1000,
        reason: headers["ratelimit-reason"] ?? null
      })
  }
  if (status >= 500 && status <= 599) return new JiraUnavailable({ reason: "server", status })
  return new JiraUnexpectedResponse({ detail: `HTTP ${status} from ${endpoint}` })
}
