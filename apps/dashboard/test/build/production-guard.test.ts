import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"
import { productionGuard } from "../../build/production-guard.ts"

// The guard in the production build (build.mjs), over entries written to a temporary folder standing for the repository.

let root: string
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "sciple-production-guard-")))
  const files: Record<string, string> = {
    "apps/app/src/settings.ts": "export const port = 3000\n",
    "apps/app/src/clean.ts":
      'import { readFile } from "node:fs/promises"\nimport { port } from "./settings.ts"\nexport default [readFile, port]\n',
    "apps/app/test/support/harness.ts": "export const harness = 1\n",
    "apps/app/src/uses-harness.ts": 'import { harness } from "../test/support/harness.ts"\nexport default harness\n',
    "apps/app/src/uses-msw.ts": 'import { setupServer } from "msw/node"\nexport default setupServer\n',
    "apps/app/src/uses-simulator.ts":
      'import { createJiraSimulator } from "@sciple/jira-simulator"\nexport default createJiraSimulator\n',
    "apps/app/src/uses-testing.ts":
      'import { aTestWorld } from "@sciple/jira-core/testing"\nexport default aTestWorld\n'
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Bundles one entry as build.mjs bundles main.js (msw external, as there); answers the errors, none if it built. */
const bundle = (entry: string): Promise<ReadonlyArray<string>> =>
  build({
    entryPoints: [join(root, "apps/app/src", entry)],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    external: ["msw", "msw/*"],
    logLevel: "silent",
    plugins: [productionGuard(root)]
  }).then(
    () => [],
    (error: { errors?: ReadonlyArray<{ text: string }> }) => (error.errors ?? []).map((e) => e.text)
  )

describe("the production build's guard", () => {
  it("builds an entry that uses no test support", async () => {
    expect(await bundle("clean.ts")).toEqual([])
  })

  it.each([
    ["uses-harness.ts", "test support: apps/app/test/support/harness.ts"],
    ["uses-msw.ts", 'a test-only package: "msw/node" from apps/app/src/uses-msw.ts'],
    ["uses-simulator.ts", 'a test-only package: "@sciple/jira-simulator" from apps/app/src/uses-simulator.ts'],
    ["uses-testing.ts", 'a test-support entry of a workspace package: "@sciple/jira-core/testing"']
  ])("refuses %s, saying what and from where", async (entry, why) => {
    const errors = await bundle(entry)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(why)
  })
})
