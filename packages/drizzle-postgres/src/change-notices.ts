import { sql } from "drizzle-orm"
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core"

/**
 * What a committed write changed, as far as a cache of what requests see is concerned. Every store write
 * that can change such a thing sends one in its own transaction (`pg_notify` is transactional: it is
 * delivered on commit and never for a rolled-back write), and every instance listening hears it.
 */
export type Change =
  /** The workspace, its Jira configuration or one of its credentials. */
  | { readonly _tag: "Workspace"; readonly workspaceId: string }
  /** One session was created, replaced or deleted (sign-in, sign-out). */
  | { readonly _tag: "Session"; readonly idHash: string }
  /** Expired sessions were swept. */
  | { readonly _tag: "Sessions" }
  /** An API token was created, replaced or revoked (by id, so its hash is not at hand). */
  | { readonly _tag: "Tokens" }
  /** A user's account: a membership (their role in a workspace). */
  | { readonly _tag: "Account"; readonly userId: string }
  /** Jira's limits for a site changed (a pause, a slow-down): reread them. */
  | { readonly _tag: "JiraSite"; readonly site: string }
  /** Notices may have been missed (the listening connection was lost or is back): anything may have changed. */
  | { readonly _tag: "Everything" }

/** The channel every change is sent on. */
export const CHANGES_CHANNEL = "sciple_changes"

export const Change = {
  workspace: (workspaceId: string): Change => ({ _tag: "Workspace", workspaceId }),
  session: (idHash: string): Change => ({ _tag: "Session", idHash }),
  sessions: { _tag: "Sessions" } as Change,
  tokens: { _tag: "Tokens" } as Change,
  account: (userId: string): Change => ({ _tag: "Account", userId }),
  jiraSite: (site: string): Change => ({ _tag: "JiraSite", site }),
  everything: { _tag: "Everything" } as Change
}

/**
 * The notice's payload: `workspace:<id>`, `session:<idHash>`, `sessions`, `token`, `account:<userId>`,
 * `jira-site:<site>` or `*`.
 * @internal not used by production code: for tests and test support
 */
export const changePayload = (change: Change): string => {
  switch (change._tag) {
    case "Workspace":
      return `workspace:${change.workspaceId}`
    case "Session":
      return `session:${change.idHash}`
    case "Sessions":
      return "sessions"
    case "Tokens":
      return "token"
    case "Account":
      return `account:${change.userId}`
    case "JiraSite":
      return `jira-site:${change.site}`
    case "Everything":
      return "*"
  }
}

/** Reads a payload back; one this version does not know (sent by a newer instance) means anything changed. */
export const parseChange = (payload: string): Change => {
  const colon = payload.indexOf(":")
  const kind = colon < 0 ? payload : payload.slice(0, colon)
  const id = colon < 0 ? "" : payload.slice(colon + 1)
  if (kind === "workspace" && id !== "") return Change.workspace(id)
  if (kind === "session" && id !== "") return Change.session(id)
  if (kind === "account" && id !== "") return Change.account(id)
  if (kind === "jira-site" && id !== "") return Change.jiraSite(id)
  if (payload === "sessions") return Change.sessions
  if (payload === "token") return Change.tokens
  return Change.everything
}

/** Sends the notice inside the transaction `tx`: listeners hear it only if, and once, it commits. */
export const notifyChange = (tx: PgDatabase<PgQueryResultHKT>, change: Change) =>
  tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${changePayload(change)})`)
