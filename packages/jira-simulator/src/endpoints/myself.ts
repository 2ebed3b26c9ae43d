import { type JsonObject, userAvatarUrls } from "../representation.ts"
import { jsonResponse, unauthorizedResponse } from "../responses.ts"
import type { Endpoint } from "./context.ts"

/** `GET /myself`: never anonymous, so a refused credential is a 401 here. */
export const myself: Endpoint = ({ state, caller }) => {
  if (caller.kind !== "account") return unauthorizedResponse(state.site)
  const { account } = caller
  const out: JsonObject = {
    self: `${state.site}/rest/api/3/user?accountId=${encodeURIComponent(account.accountId)}`,
    accountId: account.accountId,
    accountType: account.accountType ?? "atlassian"
  }
  if (account.emailAddress !== undefined) out.emailAddress = account.emailAddress
  Object.assign(out, {
    avatarUrls: userAvatarUrls(state.site, account.accountId),
    displayName: account.displayName,
    active: true,
    timeZone: account.timeZone ?? state.renderContext(caller).timeZone,
    locale: account.locale ?? "en_US",
    groups: { size: 2, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: "groups,applicationRoles"
  })
  return jsonResponse(out)
}
