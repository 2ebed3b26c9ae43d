import { describe, expect, it } from "@effect/vitest"
import { DrizzleQueryError } from "drizzle-orm/errors"
import { classify } from "../src/database-failure.ts"
import { fieldOf, invalidInput, storeUnavailable } from "../src/store-errors.ts"

/** The shape postgres.js gives a server error: SQLSTATE on `code`, constraint on `constraint_name`. */
const postgresJsError = (code: string, constraint?: string) =>
  Object.assign(new Error("duplicate key value violates unique constraint"), {
    name: "PostgresError",
    code,
    constraint_name: constraint,
    detail: "Key (email)=(secret@example.test) already exists."
  })

/** The shape PGlite gives: SQLSTATE on `code`, constraint on `constraint`, the query and params attached. */
const pgliteError = (code: string, constraint?: string) =>
  Object.assign(new Error("violates check constraint"), {
    code,
    constraint,
    query: "insert into users values ($1)",
    params: ["secret-value"]
  })

const wrapped = (cause: Error) => new DrizzleQueryError("insert into users values ($1)", ["secret-value"], cause)

describe("classify", () => {
  it("walks drizzle's wrapper to the driver error of either driver", () => {
    expect(classify(wrapped(postgresJsError("23505", "users_email_unique")))).toMatchObject({
      kind: "unique",
      constraint: "users_email_unique"
    })
    expect(classify(wrapped(pgliteError("23505", "credentials_name_unique")))).toMatchObject({
      kind: "unique",
      constraint: "credentials_name_unique"
    })
  })

  it("tells foreign keys, refused values, lost races and outages apart", () => {
    expect(classify(wrapped(pgliteError("23503", "x_fk"))).kind).toBe("foreign_key")
    expect(classify(wrapped(pgliteError("23001", "jira_configs_credential_fk"))).kind).toBe("foreign_key")
    expect(classify(wrapped(pgliteError("23514", "credentials_name_length"))).kind).toBe("invalid")
    expect(classify(wrapped(pgliteError("22001"))).kind).toBe("invalid")
    expect(classify(wrapped(pgliteError("22021"))).kind).toBe("invalid")
    expect(classify(wrapped(postgresJsError("40001"))).kind).toBe("retryable")
    expect(classify(wrapped(postgresJsError("40P01"))).kind).toBe("retryable")
    expect(classify(wrapped(postgresJsError("57P01")))).toMatchObject({
      kind: "unavailable",
      reason: "the database server terminated the connection"
    })
  })

  it("gives outages a fixed one-line reason", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })
    expect(classify(refused).reason).toBe("the database server refused the connection")
    const ended = Object.assign(new Error("write CONNECTION_ENDED"), { code: "CONNECTION_ENDED" })
    expect(classify(wrapped(ended)).reason).toBe("the connection to the database was closed")
    expect(classify(new Error("PGlite is closed")).reason).toBe("the embedded database is closed")
    expect(classify(postgresJsError("53300")).reason).toBe("the database is out of resources")
    expect(classify("a string").reason).toBe("the database call failed unexpectedly")
  })

  it("never carries the SQL, its parameters or the driver's detail into a message", () => {
    const failures = [
      classify(wrapped(postgresJsError("23505", "users_email_unique"))),
      classify(wrapped(pgliteError("23514", "users_email_length"))),
      classify(wrapped(pgliteError("22P02"))),
      classify(wrapped(pgliteError("XX000")))
    ]
    for (const failure of failures) {
      for (const error of [failure, storeUnavailable(failure), invalidInput(failure)]) {
        expect(error.message).not.toMatch(/secret|insert into|\$1/)
        expect(error.message).not.toContain("\n")
      }
    }
  })
})

describe("fieldOf", () => {
  it("names the field a constraint guards", () => {
    expect(fieldOf("credentials_name_length")).toBe("name")
    expect(fieldOf("jira_configs_default_jql_length")).toBe("defaultJql")
    expect(fieldOf("jira_configs_base_url_valid")).toBe("baseUrl")
    expect(fieldOf("audit_events_id_valid")).toBe("audit.id")
    expect(fieldOf("users_email_unique")).toBe("email")
    expect(fieldOf(null)).toBe("value")
  })
})
