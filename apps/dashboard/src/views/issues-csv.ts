import { browseUrl, type ExportPart, type JiraIssue, type SiteUrl, STATUS_CATEGORY_LABEL } from "@sciple/jira-core"

/** The issue table as CSV (RFC 4180): CRLF line ends, every cell quoted, safe to open in a spreadsheet. */

const COLUMNS = ["Key", "Summary", "Status", "Status category", "Assignee", "Priority", "Updated", "URL"] as const

/**
 * One cell, quoted with its quotes doubled. A cell a spreadsheet would read as a formula (starting with
 * = + - @, or a tab or carriage return before one) gets a leading apostrophe, OWASP's advice for CSV injection.
 * @internal exported for its tests
 */
export const csvCell = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return `"${safe.replaceAll('"', '""')}"`
}

const line = (cells: ReadonlyArray<string>) => `${cells.map(csvCell).join(",")}\r\n`

export const csvHeader = (): string => line(COLUMNS)

/** @internal exported for its tests */
export const csvRow = (issue: JiraIssue, site: SiteUrl): string =>
  line([
    issue.key,
    issue.summary,
    issue.status.name,
    STATUS_CATEGORY_LABEL[issue.status.category],
    issue.assignee?.displayName ?? "Unassigned",
    issue.priority?.name ?? "No priority",
    issue.updated.toISOString(),
    browseUrl(site, issue.key)
  ])

/** A part of the export as CSV text: its rows, or the last line saying why the export stopped early. */
export const csvPart = (part: ExportPart, site: SiteUrl): string => {
  if (part._tag === "Rows") return part.issues.map((issue) => csvRow(issue, site)).join("")
  return part.reason === "limit"
    ? line([`Export cut at ${part.rows.toLocaleString("en")} rows: narrow the filters to export the rest.`])
    : line([
        `Export stopped after ${part.rows.toLocaleString("en")} rows: Jira no longer accepted the next page. Try again.`
      ])
}

/** The last line of an export Jira stopped answering part-way. */
export const csvFailure = (message: string): string => line([`Export stopped: ${message}`])
