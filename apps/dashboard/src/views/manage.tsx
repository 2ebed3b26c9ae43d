import type { CoreError } from "@sciple/jira-core"

/** What the Manage pages share: their sub-navigation, the notice after a redirect, a problem above the form. */

export const ManageNav = ({ active }: { active: "credentials" | "jira" | "audit" | "tokens" }) => (
  <nav class="subnav" aria-label="Manage">
    <a href="/manage/credentials" aria-current={active === "credentials" ? "page" : undefined}>
      Credentials
    </a>
    <a href="/manage/integrations/jira" aria-current={active === "jira" ? "page" : undefined}>
      Integrations › Jira
    </a>
    <a href="/manage/audit" aria-current={active === "audit" ? "page" : undefined}>
      Audit log
    </a>
    <a href="/manage/api-tokens" aria-current={active === "tokens" ? "page" : undefined}>
      API tokens
    </a>
  </nav>
)

export const Notice = ({ message }: { message: string | undefined }) =>
  message === undefined ? null : (
    <p class="notice" role="status">
      {message}
    </p>
  )

export const Problem = ({ error }: { error: CoreError | null }) =>
  error === null ? null : (
    <p class="error-panel" role="alert">
      {error.message}
    </p>
  )

const NOTICES: Record<string, string> = {
  created: "Credential added. Its token is stored encrypted and will not be shown again.",
  deleted: "Credential deleted, with its stored token.",
  rotated: "Token replaced.",
  saved: "Jira connection saved.",
  removed: "Jira connection removed. The credential was kept."
}

/** The notice for a `?done=` a redirect after a write carries; anything else shows none. */
export const noticeOf = (done: string | undefined): string | undefined => NOTICES[done ?? ""]
