import type { SiteUrl } from "./site-url.ts"

/** An avatar's image as Jira served it: raster or SVG, at most MAX_AVATAR_BYTES. */
export interface AvatarImage {
  readonly contentType: AvatarContentType
  readonly bytes: Uint8Array
}

/** The only image types passed on to a browser (an SVG is served under its own locked-down policy). */
const AVATAR_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"] as const
export type AvatarContentType = (typeof AVATAR_CONTENT_TYPES)[number]

/** Jira's largest avatar (128 px) is a few kilobytes; anything far larger is not an avatar. */
export const MAX_AVATAR_BYTES = 256 * 1024

/** A query string of plain characters: no fragment, no second `?`, nothing a parser could read two ways. */
const QUERY = String.raw`(\?[A-Za-z0-9=&%._~+-]{0,500})?`

/** Paths of the site that serve avatars, and nothing else. */
const SITE_AVATAR_PATH = new RegExp(
  String.raw`^(/secure/(useravatar|projectavatar)|/rest/api/[23]/universal_avatar/view/type/(user|project|issuetype|priority)(/avatar/\d{1,18})?)` +
    `${QUERY}$`
)

/** Atlassian's avatar service, where Jira Cloud's documented `avatarUrls` of people point. */
const ATLASSIAN_AVATAR = new RegExp(
  String.raw`^https://avatar-management--avatars\.[a-z0-9-]{1,40}\.prod\.public\.atl-paas\.net/[A-Za-z0-9/._:-]{1,300}` +
    `${QUERY}$`
)
// Real sites give people without a custom picture a Gravatar URL that falls back to Atlassian's initials.
const GRAVATAR = new RegExp(String.raw`^https://secure\.gravatar\.com/avatar/[0-9a-f]{32,64}${QUERY}$`)

/**
 * Whether `url` is one of Jira's avatar URLs for `site`, and whether the credential goes with it: the site's
 * own avatar paths (custom avatars need the credential), or Atlassian's public avatar hosts (never given the
 * credential). Anything else is refused, so the avatar route cannot be used to fetch other pages. Matched on
 * the exact text, so what is checked is what is requested.
 */
export const avatarSource = (
  site: SiteUrl,
  url: string
): { readonly url: string; readonly credential: boolean } | null => {
  if (url.length > 2048) return null
  if (url.startsWith(`${site}/`) && SITE_AVATAR_PATH.test(url.slice(site.length))) return { url, credential: true }
  if (ATLASSIAN_AVATAR.test(url) || GRAVATAR.test(url)) return { url, credential: false }
  return null
}

/** The content type an avatar answer declares, if it is one of the allowed image types. */
export const avatarContentType = (header: string | undefined): AvatarContentType | null => {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? ""
  return AVATAR_CONTENT_TYPES.find((allowed) => allowed === type) ?? null
}
