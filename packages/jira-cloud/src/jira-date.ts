/**
 * Jira's timestamps (`2024-10-09T10:37:54.643+0800`) carry an offset without a colon, which is not
 * ISO 8601's extended format: normalise it before handing the string to `Date`.
 */

const JIRA_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i

/**
 * The same instant in ISO 8601 extended form (`+08:00`), or null when the value is not a Jira timestamp.
 * @internal not used by production code: for tests and test support
 */
export const normaliseJiraDate = (value: string): string | null => {
  const match = JIRA_DATE.exec(value.trim())
  if (match === null) return null
  const [, local, zulu, sign, hours, minutes] = match
  return zulu !== undefined ? `${local}Z` : `${local}${sign}${hours}:${minutes}`
}

/** The instant of a Jira timestamp, or null when it does not parse. */
export const parseJiraDate = (value: string): Date | null => {
  const normalised = normaliseJiraDate(value)
  if (normalised === null) return null
  const date = new Date(normalised)
  return Number.isNaN(date.getTime()) ? null : date
}
