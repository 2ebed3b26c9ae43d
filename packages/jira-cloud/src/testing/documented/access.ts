import { HttpResponse } from "msw"
import { type Caller, callerOf, type DocumentedSite, scopeMismatch, scopesAllow } from "./site.ts"

/** Where a request arrived: the site itself, or the gateway (`/ex/jira/{cloudId}`). */
export type Entry = "site" | "gateway"

/** What an operation may do for the caller; `refused` is the answer Jira gives before the operation runs. */
export type Access =
  | { readonly _tag: "Allowed" }
  | { readonly _tag: "FailedCredential" }
  | { readonly _tag: "Anonymous" }
  | { readonly _tag: "Refused"; readonly response: Response }

/**
 * Scoped API tokens (Atlassian's token page, 2025): refused on the site with "scope does not match"; on
 * the gateway the same Basic auth works when the token holds the operation's scopes. A failed credential is
 * served as anonymous on the site; the gateway refuses it outright.
 */
export const accessOf = (
  site: DocumentedSite,
  entry: Entry,
  method: string,
  path: string,
  request: Request
): Access => {
  const caller: Caller = callerOf(site, request)
  switch (caller._tag) {
    case "Classic":
      return { _tag: "Allowed" }
    case "Scoped":
      if (entry === "site") return { _tag: "Refused", response: scopeMismatch() }
      return scopesAllow(method, path, caller.credential.scopes)
        ? { _tag: "Allowed" }
        : { _tag: "Refused", response: scopeMismatch() }
    case "Failed":
      return entry === "gateway"
        ? { _tag: "Refused", response: HttpResponse.json({ code: 401, message: "Unauthorized" }, { status: 401 }) }
        : { _tag: "FailedCredential" }
    case "Anonymous":
      return { _tag: "Anonymous" }
  }
}
