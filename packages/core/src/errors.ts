import { Schema } from "effect"
import { Permission } from "./domain/permissions.ts"

/**
 * The error taxonomy (see adr/0004). Every error a caller must tell apart is a tagged value in the
 * error channel; the app maps each tag to an HTTP status and a message in exactly one place.
 * No error carries a secret: fields are ids, names and Jira's own messages.
 */

export class NotPermitted extends Schema.TaggedError<NotPermitted>()("NotPermitted", {
  permission: Permission
}) {
  override get message() {
    return `You need the ${this.permission} permission to do this.`
  }
}

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.Literals(["credential", "jira_config", "project", "api_token", "workspace"]),
  id: Schema.String
}) {
  override get message() {
    const what = {
      credential: "credential",
      jira_config: "Jira configuration",
      project: "Jira project",
      api_token: "API token",
      workspace: "workspace"
    }[this.entity]
    return this.id === "" ? `No ${what} was found.` : `No ${what} "${this.id}" was found.`
  }
}

export class NotConnected extends Schema.TaggedError<NotConnected>()("NotConnected", {}) {
  override get message() {
    return "Jira is not connected for this workspace yet."
  }
}

export class AlreadyConnected extends Schema.TaggedError<AlreadyConnected>()("AlreadyConnected", {}) {
  override get message() {
    return "This workspace already has a Jira connection. Edit or remove it instead."
  }
}

export class StaleVersion extends Schema.TaggedError<StaleVersion>()("StaleVersion", {
  expected: Schema.Int,
  actual: Schema.NullOr(Schema.Int)
}) {
  override get message() {
    return "The Jira configuration was changed by someone else since you opened it. Reload and try again."
  }
}

export const InvalidField = Schema.Struct({ field: Schema.String, message: Schema.String })
export type InvalidField = typeof InvalidField.Type

export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  fields: Schema.Array(InvalidField)
}) {
  override get message() {
    return this.fields.map((f) => `${f.field}: ${f.message}`).join("; ")
  }
  static one(field: string, message: string) {
    return new InvalidInput({ fields: [{ field, message }] })
  }
}

export class CredentialInUse extends Schema.TaggedError<CredentialInUse>()("CredentialInUse", {
  credentialId: Schema.String
}) {
  override get message() {
    return "This credential is used by the Jira connection. Remove the connection first."
  }
}

/** The configuration store (the database) could not be reached or failed mid-way; nothing was half-written. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  reason: Schema.String
}) {
  override get message() {
    return `The database is unavailable: ${this.reason}`
  }
}

// Jira

/** A wrong, revoked or expired token: Jira's 401, or an answer it served as anonymous (adr/0020). */
export class JiraUnauthorized extends Schema.TaggedError<JiraUnauthorized>()("JiraUnauthorized", {}) {
  override get message() {
    return "The Jira credential was refused: check the token or create a new one."
  }
}

export class JiraForbidden extends Schema.TaggedError<JiraForbidden>()("JiraForbidden", {
  reason: Schema.Literals(["permission", "captcha"])
}) {
  override get message() {
    return this.reason === "captcha"
      ? "Jira locked this account after failed sign-ins (CAPTCHA). Sign in to Jira in a browser to unlock it."
      : "The Jira account is not allowed to do this."
  }
}

export class JiraInvalidJql extends Schema.TaggedError<JiraInvalidJql>()("JiraInvalidJql", {
  messages: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Jira rejected the JQL: ${this.messages.join(" ")}`
  }
}

export class JiraRateLimited extends Schema.TaggedError<JiraRateLimited>()("JiraRateLimited", {
  retryAfterSeconds: Schema.Number,
  reason: Schema.NullOr(Schema.String)
}) {
  override get message() {
    return `Jira is rate limiting this site; retrying in ${Math.ceil(this.retryAfterSeconds)} s.`
  }
}

export class JiraSiteNotFound extends Schema.TaggedError<JiraSiteNotFound>()("JiraSiteNotFound", {}) {
  override get message() {
    return "No Jira Cloud site answered at this URL. Check the base URL."
  }
}

export class JiraEndpointRemoved extends Schema.TaggedError<JiraEndpointRemoved>()("JiraEndpointRemoved", {
  endpoint: Schema.String
}) {
  override get message() {
    return `Jira has removed the API ${this.endpoint}.`
  }
}

export class JiraUnavailable extends Schema.TaggedError<JiraUnavailable>()("JiraUnavailable", {
  reason: Schema.Literals(["timeout", "network", "dns", "refused", "tls", "server"]),
  status: Schema.NullOr(Schema.Int)
}) {
  override get message() {
    if (this.reason === "timeout") return "Jira did not answer in time."
    if (this.reason === "network") return "Jira could not be reached."
    if (this.reason === "dns") return "The Jira site's name could not be found (DNS). Check the base URL."
    if (this.reason === "refused") return "The Jira site refused the connection. Check the base URL."
    if (this.reason === "tls")
      return "The Jira site's certificate could not be verified (TLS), so nothing was sent. Check the base URL."
    return `Jira is having trouble (HTTP ${this.status ?? "5xx"}). Try again shortly.`
  }
}

export class JiraUnexpectedResponse extends Schema.TaggedError<JiraUnexpectedResponse>()("JiraUnexpectedResponse", {
  detail: Schema.String
}) {
  override get message() {
    return `Jira sent a response the integration does not understand (${this.detail}).`
  }
}

/** The scoped API token lacks a scope an operation needs; the scopes are Atlassian's names for them. */
export class JiraScopeMissing extends Schema.TaggedError<JiraScopeMissing>()("JiraScopeMissing", {
  /** What the refused call was for ("list projects"). */
  operation: Schema.String,
  /** The classic scopes that allow it. */
  scopes: Schema.Array(Schema.String),
  /** The granular scopes that allow it, for a token made with those instead. */
  granularScopes: Schema.Array(Schema.String)
}) {
  override get message() {
    return `The Jira API token is missing a scope to ${this.operation}: give it ${this.scopes.join(", ")} (classic scopes) or ${this.granularScopes.join(", ")} (granular scopes).`
  }
}

export type JiraError =
  | JiraUnauthorized
  | JiraForbidden
  | JiraInvalidJql
  | JiraRateLimited
  | JiraSiteNotFound
  | JiraEndpointRemoved
  | JiraUnavailable
  | JiraUnexpectedResponse
  | JiraScopeMissing

// Secrets

export class SecretNotFound extends Schema.TaggedError<SecretNotFound>()("SecretNotFound", {
  ref: Schema.String
}) {
  override get message() {
    return "The stored API token for this credential is missing. Delete the credential and create it again."
  }
}

export class SecretStoreError extends Schema.TaggedError<SecretStoreError>()("SecretStoreError", {
  reason: Schema.Literals(["access_denied", "throttled", "unavailable", "integrity"]),
  detail: Schema.String
}) {
  override get message() {
    const what = {
      access_denied: "access to the secret store was denied",
      throttled: "the secret store is throttling requests",
      unavailable: "the secret store is unavailable",
      integrity: "a stored secret failed its integrity check (wrong key or tampering)"
    }[this.reason]
    return `Secret store error: ${what}.`
  }
}

export type SecretError = SecretNotFound | SecretStoreError

/** Every error the core's ports and use cases fail with: one union, so an edge that maps errors can be checked complete. */
export type CoreError =
  | NotPermitted
  | NotFound
  | NotConnected
  | AlreadyConnected
  | StaleVersion
  | InvalidInput
  | CredentialInUse
  | StoreUnavailable
  | JiraError
  | SecretError
