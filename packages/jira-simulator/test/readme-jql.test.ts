import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { createJiraSimulator } from "../src/simulator.ts"
import { search, TEST_NOW } from "./support/simulator.ts"

/** Every example of the README's "Supported JQL" table works against the default data. */

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
const section = readme.slice(readme.indexOf("### Supported JQL"), readme.indexOf("Not simulated (a 400"))
const rows = section
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| construct") && !line.startsWith("| ---"))
  .map((line) => {
    const cells = line.split("|").map((cell) => cell.trim())
    const example = /^`(.*)`$/.exec(cells[2] ?? "")?.[1]
    return [cells[1] ?? "", example ?? ""] as const
  })

const sim = createJiraSimulator({ now: () => TEST_NOW })

describe("the README's Supported JQL table", () => {
  it("lists at least the twelve constructs of issue 12", () => {
    expect(rows.length).toBeGreaterThanOrEqual(12)
    const jql = rows.map(([, example]) => example).join("\n")
    for (const construct of [
      "resolution = Unresolved",
      "labels",
      "issuetype",
      "component",
      "reporter",
      "resolved",
      "parent",
      "fixVersion",
      "sprint in openSprints()",
      "status CHANGED AFTER -7d",
      "ORDER BY Rank",
      "cf[10010]"
    ]) {
      expect(jql).toContain(construct)
    }
  })

  it.each(rows)("%s: %s parses, evaluates and finds issues", async (_, jql) => {
    expect(jql).not.toBe("")
    const { status, body } = await search(sim, { jql, fields: ["summary"], maxResults: 1 })
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.issues.length, jql).toBe(1)
  })
})
