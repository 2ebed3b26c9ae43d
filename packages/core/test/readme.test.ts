import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"

// The README's embedding examples are excerpts of apps/embedding-example, which CI installs and runs: kept equal here.
const root = new URL("../../../", import.meta.url)
const readme = readFileSync(new URL("packages/core/README.md", root), "utf8")
const excerpts = [...readme.matchAll(/<!-- excerpt: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)]

describe("the core README", () => {
  it("quotes the embedding example's files", () => {
    expect(excerpts.map(([, path]) => path)).toEqual([
      "apps/embedding-example/src/embed.ts",
      "apps/embedding-example/src/config-store.memory.test.ts"
    ])
    for (const [, path, code] of excerpts) {
      expect(readFileSync(new URL(path ?? "", root), "utf8"), path).toContain(code)
    }
  })
})
