import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { IssueJson, pickAvatar, statusCategoryOf, toIssue, toIssuePage } from "../src/jira-json.ts"
import { anIssue } from "./support/jira-msw.ts"

const decodeIssue = Schema.decodeUnknownEffect(IssueJson)

describe("Jira JSON to the domain", () => {
  it("reads status categories by key, never by their localised name", () => {
    expect(statusCategoryOf("new")).toBe("new")
    expect(statusCategoryOf("indeterminate")).toBe("indeterminate")
    expect(statusCategoryOf("done")).toBe("done")
    expect(statusCategoryOf("undefined")).toBe("undefined")
    expect(statusCategoryOf("In Arbeit")).toBe("undefined")
    expect(statusCategoryOf("something-new")).toBe("undefined")
  })

  it("picks the 48x48 avatar", () => {
    expect(pickAvatar({ "16x16": "a", "48x48": "b" })).toBe("b")
    expect(pickAvatar({ "16x16": "a" })).toBeNull()
    expect(pickAvatar(undefined)).toBeNull()
  })

  it.effect("maps an issue with a localised status name", () =>
    Effect.gen(function* () {
      const issue = toIssue(yield* decodeIssue(anIssue("ABC-1")))
      expect(issue).toEqual({
        key: "ABC-1",
        summary: "Summary of ABC-1",
        status: { name: "In Arbeit", category: "indeterminate" },
        assignee: { accountId: "acc-1", displayName: "Ada Lovelace", avatarUrl: "https://a/48" },
        priority: { name: "High", iconUrl: "https://acme.atlassian.net/images/icons/priorities/high.svg" },
        updated: new Date("2024-10-09T02:37:54.643Z")
      })
    })
  )

  it.effect("treats a null assignee and a null or missing priority as normal", () =>
    Effect.gen(function* () {
      const nullPriority = toIssue(yield* decodeIssue(anIssue("ABC-2", { assignee: null, priority: null })))
      expect(nullPriority.assignee).toBeNull()
      expect(nullPriority.priority).toBeNull()
      const { priority: _, ...withoutPriority } = anIssue("ABC-3").fields
      const missing = toIssue(yield* decodeIssue({ key: "ABC-3", fields: withoutPriority }))
      expect(missing.priority).toBeNull()
    })
  )

  it.effect("refuses an issue whose updated time does not parse", () =>
    Effect.gen(function* () {
      const error = yield* decodeIssue(anIssue("ABC-4", { updated: "last Tuesday" })).pipe(Effect.flip)
      expect(error._tag).toBe("SchemaError")
    })
  )

  it("ends paging when Jira says isLast, whatever token it sends", () => {
    expect(toIssuePage({ issues: [], nextPageToken: "t", isLast: true }).nextPageToken).toBeNull()
    expect(toIssuePage({ issues: [], nextPageToken: "t", isLast: false }).nextPageToken).toBe("t")
    expect(toIssuePage({ issues: [] }).nextPageToken).toBeNull()
  })
})
