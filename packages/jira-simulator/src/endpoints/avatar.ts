import { avatarResponse } from "../responses.ts"
import type { Endpoint } from "./context.ts"

/** `/secure/useravatar` and `/secure/projectavatar`: SVG initials, so avatar URLs resolve offline. */
export const avatar: Endpoint = ({ state, url }) => {
  const accountId = url.searchParams.get("accountId")
  if (accountId !== null) {
    const user = state.index.usersById.get(accountId)
    return avatarResponse(user?.displayName ?? "?", accountId)
  }
  const project = state.index.projectsById.get(url.searchParams.get("pid") ?? "")
  return avatarResponse(project?.key ?? "?", project?.id ?? "")
}
