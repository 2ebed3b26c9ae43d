import { describe, expect, it } from "@effect/vitest"
import { SiteUrl } from "@sciple/jira-core"
import { csvCell, csvFailure, csvHeader, csvPart, csvRow } from "../../src/views/issues-csv.ts"

const SITE = SiteUrl.make("https://acme.atlassian.net")
const issue = {
  key: "ALPHA-7",
  summary: 'Fix "quotes", commas\nand lines',
  status: { name: "In Arbeit", category: "indeterminate" as const },
  assignee: { accountId: "acc-ada", displayName: "Ada Lovelace", avatarUrl: null },
  priority: null,
  updated: new Date("2026-03-04T05:06:07.000Z")
}

describe("issues as CSV", () => {
  it("quotes every cell and doubles its quotes (RFC 4180), lines end in CRLF", () => {
    expect(csvCell('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"')
    expect(csvHeader()).toBe('"Key","Summary","Status","Status category","Assignee","Priority","Updated","URL"\r\n')
    expect(csvRow(issue, SITE)).toBe(
      '"ALPHA-7","Fix ""quotes"", commas\nand lines","In Arbeit","In Progress","Ada Lovelace","No priority",' +
        '"2026-03-04T05:06:07.000Z","https://acme.atlassian.net/browse/ALPHA-7"\r\n'
    )
  })

  it("defuses cells a spreadsheet would run as a formula", () => {
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
      expect(csvCell(formula)).toBe(`"'${formula.replaceAll('"', '""')}"`)
    expect(csvCell("a=1")).toBe('"a=1"')
    expect(csvRow({ ...issue, summary: '=HYPERLINK("https://evil.test")' }, SITE)).toContain(
      `"'=HYPERLINK(""https://evil.test"")"`
    )
  })

  it("ends a cut or failed export with a line that says so", () => {
    expect(csvPart({ _tag: "Incomplete", reason: "limit", rows: 10_000 }, SITE)).toBe(
      '"Export cut at 10,000 rows: narrow the filters to export the rest."\r\n'
    )
    expect(csvPart({ _tag: "Rows", issues: [issue, issue] }, SITE).split("\r\n")).toHaveLength(3)
    expect(csvFailure("Jira is rate limiting this site.")).toBe(
      '"Export stopped: Jira is rate limiting this site."\r\n'
    )
  })
})
