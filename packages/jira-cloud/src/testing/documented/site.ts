import { readFileSync } from "node:fs"
import { HttpResponse } from "msw"

/**
 * A Jira Cloud site as Atlassian documents it (the Jira contract notes and the OpenAPI document), shared by
 * the handler groups beside this file. It models the documented behaviour, not our simulator's.
 */

/** @public part of the site description */
export interface Credential {
  readonly email: string
  readonly token: string
}

/** @public part of the site description */
export interface ScopedCredential extends Credential {
  readonly scopes: ReadonlyArray<string>
}

/** @public part of the site description */
export interface DocumentedProject {
  readonly id: string
  readonly key: string
  readonly name: string
}

export interface DocumentedSite {
  /** `https://<site>.atlassian.net` */
  readonly site: string
  /** Atlassian's API gateway origin (`https://api.atlassian.com`). */
  readonly gatewayOrigin: string
  readonly cloudId: string
  /** Unscoped tokens: work on the site and on the gateway. */
  readonly classic: ReadonlyArray<Credential>
  /** Scoped tokens: refused on the site; on the gateway, each operation checks its scopes. */
  readonly scoped: ReadonlyArray<ScopedCredential>
  readonly projects: ReadonlyArray<DocumentedProject>
  /** Issues each project holds. */
  readonly issuesPerProject: number
}

interface ScopeSet {
  readonly scopes: ReadonlyArray<string>
  readonly state: string
}
interface Operation {
  readonly method: string
  readonly path: string
  readonly "x-atlassian-oauth2-scopes": ReadonlyArray<ScopeSet>
}

// Straight from Atlassian's OpenAPI document (its extract in test-data names the source).
const operations: ReadonlyArray<Operation> = JSON.parse(
  readFileSync(new URL("../../../test-data/jira-openapi-scopes.json", import.meta.url), "utf8")
).operations

/** A scoped token may call an operation when it holds every scope of one of the operation's scope sets. */
export const scopesAllow = (method: string, path: string, held: ReadonlyArray<string>): boolean => {
  const operation = operations.find((candidate) => candidate.method === method && candidate.path === path)
  if (operation === undefined) return false
  return operation["x-atlassian-oauth2-scopes"].some((set) => set.scopes.every((scope) => held.includes(scope)))
}

/** Who the Basic auth header names: a known token, a failed one, or nobody. */
export type Caller =
  | { readonly _tag: "Classic"; readonly credential: Credential }
  | { readonly _tag: "Scoped"; readonly credential: ScopedCredential }
  | { readonly _tag: "Failed" }
  | { readonly _tag: "Anonymous" }

export const callerOf = (site: DocumentedSite, request: Request): Caller => {
  const header = request.headers.get("authorization")
  if (header === null) return { _tag: "Anonymous" }
  const match = /^Basic (.+)$/.exec(header)
  const decoded = match?.[1] === undefined ? "" : Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  const email = decoded.slice(0, colon)
  const token = decoded.slice(colon + 1)
  const same = (credential: Credential) =>
    credential.email.toLowerCase() === email.toLowerCase() && credential.token === token
  const classic = site.classic.find(same)
  if (classic !== undefined) return { _tag: "Classic", credential: classic }
  const scoped = site.scoped.find(same)
  if (scoped !== undefined) return { _tag: "Scoped", credential: scoped }
  return { _tag: "Failed" }
}

/** The header Jira adds when it served a request as anonymous because the credential failed. */
export const FAILED_LOGIN = { "X-Seraph-LoginReason": "AUTHENTICATED_FAILED" } as const

/** The 401 a scoped token gets on the site, and on the gateway for an operation it lacks a scope for. */
export const scopeMismatch = () =>
  HttpResponse.json({ code: 401, message: "Unauthorized; scope does not match" }, { status: 401 })

export const jiraError = (status: number, messages: ReadonlyArray<string>, headers: Record<string, string> = {}) =>
  HttpResponse.json({ errorMessages: messages, errors: {} }, { status, headers })
