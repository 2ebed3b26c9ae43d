import { Effect } from "effect"
import { DashboardViewer } from "../authorization.ts"
import { avatarSource } from "../domain/avatar.ts"
import { InvalidInput } from "../errors.ts"
import { IssueSource } from "../ports/IssueSource.ts"
import { resolveConnection } from "./support.ts"

/**
 * An avatar of the connected site, fetched as the workspace's connection so a page can show it from our own
 * origin (a browser cannot reach a simulated site, nor a custom avatar without signing in to Atlassian).
 */
export const avatarImage = Effect.fn("avatarImage")(function* (input: { readonly url: string }) {
  const viewer = yield* DashboardViewer
  const { config, connection } = yield* resolveConnection(viewer.workspaceId)
  if (input.url.length > 2048 || avatarSource(config.baseUrl, input.url) === null)
    return yield* InvalidInput.one("u", "Not an avatar of the connected Jira site.")
  return yield* (yield* IssueSource).avatar(connection, input.url)
})
