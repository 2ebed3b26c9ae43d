import { Result, Schema } from "effect"

/** A validated, normalised Jira Cloud site: `https://<site>.atlassian.net`, lower case, no trailing slash. */
export const SiteUrl = Schema.String.pipe(Schema.brand("SiteUrl"))
export type SiteUrl = typeof SiteUrl.Type

const SITE = /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.atlassian\.net$/

/**
 * Validates a user-typed base URL. Strict by design: the URL is where the server sends the API token,
 * so anything but a plain Atlassian Cloud origin (http, userinfo, ports, paths, IP literals, look-alike
 * hosts) is refused with a reason a person can act on.
 */
export const parseSiteUrl = (input: string): Result.Result<SiteUrl, string> => {
  const raw = input.trim()
  if (raw.length === 0) return Result.fail("Enter your Jira Cloud URL, for example https://your-domain.atlassian.net.")
  if (raw.length > 200) return Result.fail("The URL is too long for a Jira Cloud site.")
  // Only ASCII: look-alike Unicode hosts (and their punycode forms below) are never an Atlassian site.
  if (!/^[\x21-\x7e]+$/.test(raw))
    return Result.fail("The URL may contain only plain ASCII letters, digits and punctuation.")
  const lower = raw.toLowerCase()
  if (!lower.startsWith("https://")) return Result.fail("The URL must start with https://.")
  let rest = lower.slice("https://".length)
  if (rest.endsWith("/")) rest = rest.slice(0, -1)
  if (/[?#]/.test(rest)) return Result.fail("The URL must not contain a query or fragment.")
  if (rest.includes("/") || rest.includes("\\"))
    return Result.fail("The URL must not contain a path: use only https://your-domain.atlassian.net.")
  if (rest.includes("@")) return Result.fail("The URL must not contain a user name or password.")
  if (rest.includes("%")) return Result.fail("The URL must not contain encoded characters.")
  if (/:/.test(rest) || rest.startsWith("[")) return Result.fail("The URL must not contain a port.")
  if (rest.endsWith(".")) return Result.fail("The host must not end with a dot.")
  const url = `https://${rest}`
  const match = SITE.exec(url)
  const site = match?.[1]
  if (site === undefined || site.startsWith("xn--")) {
    return Result.fail("The host must be a Jira Cloud site: <your-domain>.atlassian.net.")
  }
  return Result.succeed(SiteUrl.make(url))
}

/** The browse link of an issue on its site. */
export const browseUrl = (site: SiteUrl, issueKey: string): string => `${site}/browse/${encodeURIComponent(issueKey)}`

/** Jira's issue search for a JQL: where every number of the dashboard leads (in a new tab). */
export const issueSearchUrl = (site: SiteUrl, jql: string): string => `${site}/issues/?jql=${encodeURIComponent(jql)}`
