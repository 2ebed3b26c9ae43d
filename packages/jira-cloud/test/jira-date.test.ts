import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { normaliseJiraDate, parseJiraDate } from "../src/jira-date.ts"

describe("Jira timestamps", () => {
  it("normalises an offset without a colon", () => {
    expect(normaliseJiraDate("2024-10-09T10:37:54.643+0800")).toBe("2024-10-09T10:37:54.643+08:00")
    expect(normaliseJiraDate("2024-10-09T10:37:54.643-0330")).toBe("2024-10-09T10:37:54.643-03:30")
  })

  it("parses Jira's form to the right instant", () => {
    expect(parseJiraDate("2024-10-09T10:37:54.643+0800")?.toISOString()).toBe("2024-10-09T02:37:54.643Z")
    expect(parseJiraDate("2024-10-09T00:00:00.000-0500")?.toISOString()).toBe("2024-10-09T05:00:00.000Z")
  })

  it("keeps ISO forms with a colon or Z as they are", () => {
    expect(normaliseJiraDate("2024-10-09T10:37:54.643+08:00")).toBe("2024-10-09T10:37:54.643+08:00")
    expect(normaliseJiraDate("2024-10-09T10:37:54Z")).toBe("2024-10-09T10:37:54Z")
    expect(parseJiraDate("2024-10-09T02:37:54.643Z")?.toISOString()).toBe("2024-10-09T02:37:54.643Z")
  })

  it("refuses what is not a timestamp", () => {
    for (const bad of ["", "1", "yesterday", "2024-10-09", "2024-10-09T10:37:54.643+08", "2024-13-45T10:37:54+0000"]) {
      expect(parseJiraDate(bad)).toBeNull()
    }
  })

  it("round-trips any instant written in Jira's form at any offset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (ms, offset) => {
          const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23)
          const abs = Math.abs(offset)
          const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`
          expect(parseJiraDate(`${local}${zone}`)?.getTime()).toBe(ms)
        }
      )
    )
  })
})
