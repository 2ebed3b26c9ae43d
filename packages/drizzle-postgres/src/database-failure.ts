import { Predicate, Schema } from "effect"

/**
 * A driver error, classified and stripped of everything but a constraint name and a fixed one-line reason.
 * Internal to this package: each store method turns it into one of core's typed errors. Nothing of the
 * SQL text or its parameters survives into it, since parameters can hold user data.
 */
export class DatabaseFailure extends Schema.TaggedError<DatabaseFailure>()("DatabaseFailure", {
  kind: Schema.Literals([
    /** 23505: a unique constraint or primary key. */
    "unique",
    /** 23503 / 23001: a foreign key (a missing parent, or a RESTRICT on delete). */
    "foreign_key",
    /** Classes 22 and 23 other than the two above: the value is not acceptable at the database edge. */
    "invalid",
    /** 40001 / 40P01: the transaction lost a race and may simply be run again. */
    "retryable",
    /** The database could not be reached, went away, or failed in a way the caller cannot fix. */
    "unavailable"
  ]),
  constraint: Schema.NullOr(Schema.String),
  reason: Schema.String
}) {}

interface DriverFields {
  readonly code: string
  readonly constraint: string | null
}

/** postgres.js puts the constraint on `constraint_name`, PGlite on `constraint`; both put the SQLSTATE on `code`. */
const constraintOf = (error: object): string | null =>
  "constraint_name" in error && Predicate.isString(error.constraint_name)
    ? error.constraint_name
    : "constraint" in error && Predicate.isString(error.constraint)
      ? error.constraint
      : null

/** drizzle wraps driver errors (DrizzleQueryError, `.cause`); the first error with a code is the driver's. */
const findCoded = (cause: unknown): DriverFields | null => {
  let current: unknown = cause
  for (let depth = 0; depth < 8 && Predicate.isObject(current); depth++) {
    if ("code" in current && Predicate.isString(current.code))
      return { code: current.code, constraint: constraintOf(current) }
    current = "cause" in current ? current.cause : undefined
  }
  return null
}

const messageOf = (cause: unknown): string => {
  let current: unknown = cause
  const messages: Array<string> = []
  for (let depth = 0; depth < 8 && Predicate.isObject(current); depth++) {
    if ("message" in current && Predicate.isString(current.message)) messages.push(current.message)
    current = "cause" in current ? current.cause : undefined
  }
  return messages.join(" | ")
}

/** Reasons for the codes an operator may meet; every other code gets a generic reason naming only the code. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: "the database server refused the connection",
  ECONNRESET: "the connection to the database was reset",
  EPIPE: "the connection to the database was lost",
  ETIMEDOUT: "the connection to the database timed out",
  EHOSTUNREACH: "the database host is unreachable",
  ENETUNREACH: "the database network is unreachable",
  ENOTFOUND: "the database host name could not be resolved",
  EAI_AGAIN: "the database host name could not be resolved",
  CONNECT_TIMEOUT: "the connection to the database timed out",
  CONNECTION_CLOSED: "the connection to the database was lost",
  CONNECTION_DESTROYED: "the connection to the database was closed",
  CONNECTION_ENDED: "the connection to the database was closed",
  "57P01": "the database server terminated the connection",
  "57P02": "the database server terminated the connection",
  "57P03": "the database server is starting up or shutting down",
  "57014": "the database cancelled the statement",
  "3D000": "the database does not exist",
  "28000": "the database refused the login",
  "28P01": "the database refused the login",
  "42501": "the database user lacks a privilege",
  "42P01": "a table is missing: the database is not migrated",
  "25P02": "the transaction was aborted"
}

const reasonFor = (code: string): string => {
  const known = REASONS[code]
  if (known !== undefined) return known
  if (code.startsWith("08")) return "the connection to the database failed"
  if (code.startsWith("53")) return "the database is out of resources"
  if (code.startsWith("58") || code.startsWith("XX")) return "the database reported an internal error"
  return `the database failed (${code})`
}

/** Classifies anything a driver (or drizzle around it) threw. */
export const classify = (cause: unknown): DatabaseFailure => {
  const coded = findCoded(cause)
  if (coded === null) {
    // PGlite's own states carry no code, only these fixed messages.
    const message = messageOf(cause)
    if (/PGlite is closed/i.test(message))
      return new DatabaseFailure({ kind: "unavailable", constraint: null, reason: "the embedded database is closed" })
    if (/Invalid time value/.test(message))
      return new DatabaseFailure({ kind: "invalid", constraint: null, reason: "a date is not valid" })
    return new DatabaseFailure({
      kind: "unavailable",
      constraint: null,
      reason: "the database call failed unexpectedly"
    })
  }
  const { code, constraint } = coded
  if (code === "23505")
    return new DatabaseFailure({ kind: "unique", constraint, reason: "a unique constraint was violated" })
  // ON DELETE RESTRICT reports 23001 (restrict_violation), NO ACTION reports 23503.
  if (code === "23503" || code === "23001")
    return new DatabaseFailure({ kind: "foreign_key", constraint, reason: "a foreign key constraint was violated" })
  if (code === "40001" || code === "40P01")
    return new DatabaseFailure({ kind: "retryable", constraint, reason: "concurrent transactions kept conflicting" })
  if (code.startsWith("22") || code.startsWith("23"))
    return new DatabaseFailure({ kind: "invalid", constraint, reason: invalidReason(code) })
  return new DatabaseFailure({ kind: "unavailable", constraint, reason: reasonFor(code) })
}

const invalidReason = (code: string): string => {
  if (code === "22001") return "a value is too long"
  if (code === "22021" || code === "22P05") return "a value contains characters the database cannot store"
  if (code === "22P02") return "a value has the wrong format"
  if (code === "22003") return "a number is out of range"
  if (code === "22007" || code === "22008") return "a date is not valid"
  if (code === "23502") return "a required value is missing"
  if (code === "23514") return "a value is not allowed"
  return `a value was refused (${code})`
}
