import { describe, expect, it } from "@effect/vitest"
import { FetchedAt } from "../../src/views/components.tsx"

const now = new Date("2026-12-02T12:00:00.000Z")
const render = (ageMs: number, freshForMs?: number) =>
  String(FetchedAt({ at: new Date(now.getTime() - ageMs), now, freshForMs }))

describe("FetchedAt", () => {
  it("says the data is refreshing once it is older than the cache's TTL (served stale)", () => {
    expect(render(30_000, 60_000)).not.toContain("refreshing")
    expect(render(61_000, 60_000)).toContain("refreshing")
    expect(render(61_000)).not.toContain("refreshing")
    expect(render(61_000, 0)).not.toContain("refreshing")
  })
})
