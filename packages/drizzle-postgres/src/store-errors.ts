import { InvalidInput, StoreUnavailable } from "@sciple/jira-core"
import { Effect } from "effect"
import type { DatabaseFailure } from "./database-failure.ts"

const TABLE_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ["audit_events_", "audit."],
  ["jira_configs_", ""],
  ["credentials_", ""],
  ["pending_credentials_", ""],
  ["api_tokens_", ""],
  ["memberships_", ""],
  ["sessions_", ""],
  ["users_", ""],
  ["workspaces_", ""]
]

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())

/**
 * The field a constraint guards, read from its name (`<table>_<column>_<rule>`, see schema.ts):
 * `credentials_name_length` is `name`, `audit_events_id_valid` is `audit.id`.
 * @internal not used by production code: for tests and test support
 */
export const fieldOf = (constraint: string | null): string => {
  if (constraint === null) return "value"
  const prefix = TABLE_PREFIXES.find(([table]) => constraint.startsWith(table))
  const rest = prefix === undefined ? constraint : constraint.slice(prefix[0].length)
  const column = rest.replace(/_(length|valid|positive|complete|array|unique|fk|pkey)$/, "")
  return `${prefix?.[1] ?? ""}${camel(column)}`
}

const ruleMessage = (failure: DatabaseFailure): string => {
  const constraint = failure.constraint ?? ""
  if (constraint.endsWith("_length")) return "The value is empty or too long."
  if (constraint.endsWith("_positive")) return "The value must be a positive number."
  if (constraint.endsWith("_valid") || constraint.endsWith("_complete") || constraint.endsWith("_array"))
    return "The value is not valid."
  const reason = failure.reason
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`
}

/**
 * A value the database refused, as the form-level error core's ports use.
 * @internal not used by production code: for tests and test support
 */
export const invalidInput = (failure: DatabaseFailure): InvalidInput =>
  InvalidInput.one(fieldOf(failure.constraint), ruleMessage(failure))

/**
 * Any failure as StoreUnavailable, with a one-line reason that names at most a constraint, never a value.
 * Used as is where a port method has no other error for the case.
 */
export const storeUnavailable = (failure: DatabaseFailure): StoreUnavailable => {
  const constraint = failure.constraint === null ? "" : ` (${failure.constraint})`
  switch (failure.kind) {
    case "unique":
      return new StoreUnavailable({ reason: `a record with the same key already exists${constraint}` })
    case "foreign_key":
      return new StoreUnavailable({ reason: `the change refers to a missing record or one still in use${constraint}` })
    case "invalid":
      return new StoreUnavailable({
        reason: `the database refused the value of ${fieldOf(failure.constraint)}: ${failure.reason}`
      })
    default:
      return new StoreUnavailable({ reason: failure.reason })
  }
}

/** InvalidInput for a refused value, StoreUnavailable for anything else. */
export const invalidInputOrUnavailable = (failure: DatabaseFailure): InvalidInput | StoreUnavailable =>
  failure.kind === "invalid" ? invalidInput(failure) : storeUnavailable(failure)

/**
 * Every write of a workspace's configuration must be audited in that same workspace; anything else is a
 * bug in the caller, not a condition to handle.
 */
export const requireSameWorkspace = (auditWorkspaceId: string, workspaceId: string) =>
  auditWorkspaceId === workspaceId
    ? Effect.void
    : Effect.die(new Error("The audit event belongs to another workspace than the change it records."))
