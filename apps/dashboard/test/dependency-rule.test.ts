import { execFile } from "node:child_process"
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

/**
 * The rule `production-code-imports-no-test-support` (adr/0029) with the repository's own dependency-cruiser
 * config, over a small monorepo written to a temporary folder: a package with a `./testing` entry, the simulator,
 * stand-ins for msw and vitest, and an app whose `src/` imports test support one way or another.
 */

const REPO = fileURLToPath(new URL("../../..", import.meta.url))
const RULE = "production-code-imports-no-test-support"

const pkg = (name: string, exports: Record<string, string>) =>
  JSON.stringify({
    name,
    type: "module",
    exports: Object.fromEntries(Object.entries(exports).map(([entry, file]) => [entry, { "@sciple/source": file }]))
  })

/** Test tooling as an installed package: a package.json and one module. */
const tool = (name: string): Record<string, string> => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({
    name,
    type: "module",
    exports: { ".": "./index.js", "./node": "./index.js" }
  }),
  [`node_modules/${name}/index.js`]: "export const tool = 1\n"
})

/** A tree every case starts from; it breaks no rule. */
const CLEAN: Record<string, string> = {
  "packages/core/package.json": pkg("@sciple/jira-core", {
    ".": "./src/index.ts",
    "./testing": "./src/testing/index.ts"
  }),
  "packages/core/src/index.ts": "export const value = 1\n",
  "packages/core/src/testing/index.ts": 'import { value } from "../index.ts"\nexport const fake = value\n',
  "packages/jira-simulator/package.json": pkg("@sciple/jira-simulator", { ".": "./src/index.ts" }),
  "packages/jira-simulator/src/index.ts": 'import { site } from "./site.ts"\nexport const simulator = site\n',
  "packages/jira-simulator/src/site.ts": 'export const site = "https://demo.atlassian.net"\n',
  ...tool("msw"),
  ...tool("vitest"),
  "apps/dashboard/src/main.ts":
    'import { readFile } from "node:fs/promises"\nimport { value } from "@sciple/jira-core"\n' +
    'import { port } from "./settings.ts"\nexport const main = [readFile, value, port]\n',
  "apps/dashboard/src/settings.ts": "export const port = 3000\n",
  // Tests, their support and the demo may use all of it.
  "apps/dashboard/test/support/harness.ts":
    'import { fake } from "@sciple/jira-core/testing"\nexport const harness = fake\n',
  "apps/dashboard/test/main.test.ts":
    'import { tool } from "vitest"\nimport { tool as mock } from "msw/node"\nimport { simulator } from "@sciple/jira-simulator"\n' +
    'import { harness } from "./support/harness.ts"\nimport { main } from "../src/main.ts"\n' +
    "export const all = [tool, mock, simulator, harness, main]\n",
  "apps/dashboard/demo/main.ts":
    'import { simulator } from "@sciple/jira-simulator"\nimport { main } from "../src/main.ts"\nexport const demo = [simulator, main]\n'
}

/** Production files that each import test support one way; every one must be reported. */
const VIOLATIONS: Record<string, string> = {
  "apps/dashboard/src/harness-user.ts":
    'import { harness } from "../test/support/harness.ts"\nexport const a = harness\n',
  "apps/dashboard/src/testing-entry.ts": 'import { fake } from "@sciple/jira-core/testing"\nexport const b = fake\n',
  "apps/dashboard/src/mock.ts": 'import { tool } from "msw/node"\nexport const c = tool\n',
  "apps/dashboard/src/runner.ts": 'import { tool } from "vitest"\nexport const d = tool\n',
  "apps/dashboard/src/simulated.ts": 'import { simulator } from "@sciple/jira-simulator"\nexport const e = simulator\n',
  // Not installed in the tree: the rule knows it by name, resolved or not.
  "apps/dashboard/src/browser.ts": 'import axe from "axe-core"\nexport const f = axe\n',
  // A package's own test support is test support too.
  "packages/core/src/uses-own-fake.ts": 'import { fake } from "./testing/index.ts"\nexport const g = fake\n'
}

interface Violation {
  readonly rule: string
  readonly from: string
  readonly to: string
}

/** depcruise's `err` report: one `error <rule>: <from> → <to>` line a violation. */
const violationsIn = (report: string): ReadonlyArray<Violation> =>
  [...report.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map(([, rule = "", from = "", to = ""]) => ({
    rule,
    from,
    to
  }))

let root: string
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "sciple-dependency-rule-")))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** Writes `files` as a fresh tree (workspace packages linked into node_modules, as pnpm does) and cruises it. */
const cruise = async (name: string, files: Record<string, string>) => {
  const dir = join(root, name)
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  await mkdir(join(dir, "node_modules/@sciple"), { recursive: true })
  await symlink("../../packages/core", join(dir, "node_modules/@sciple/jira-core"))
  await symlink("../../packages/jira-simulator", join(dir, "node_modules/@sciple/jira-simulator"))
  return new Promise<{ readonly code: number; readonly report: string; readonly violations: ReadonlyArray<Violation> }>(
    (resolve, reject) =>
      execFile(
        join(REPO, "node_modules/.bin/depcruise"),
        ["packages", "apps", "--config", join(REPO, ".dependency-cruiser.cjs"), "--output-type", "err"],
        { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          // depcruise exits non-zero when a rule of severity error is broken, as `pnpm depcheck` does in CI.
          if (error !== null && typeof error.code !== "number") reject(new Error(`depcruise did not run: ${stderr}`))
          else
            resolve({ code: error === null ? 0 : Number(error.code), report: stdout, violations: violationsIn(stdout) })
        }
      )
  )
}

describe("production-code-imports-no-test-support", { timeout: 120_000 }, () => {
  it("passes a tree whose src/ uses no test support, while its tests, their support and the demo do", async () => {
    const { code, report, violations } = await cruise("clean", CLEAN)
    expect(violations).toEqual([])
    expect(report).toContain("no dependency violations found")
    expect(code).toBe(0)
  })

  it("fails on each way src/ can reach test support, naming the importing file", async () => {
    const { code, violations } = await cruise("violating", { ...CLEAN, ...VIOLATIONS })
    expect(code).not.toBe(0)
    const byRule = violations.filter((v) => v.rule === RULE)
    expect([...new Set(byRule.map((v) => v.from))].sort()).toEqual(Object.keys(VIOLATIONS).sort())
    // Nothing else of the tree is reported by this rule: tests, support, demo and the packages' own files are fine.
    expect(byRule.every((v) => v.from in VIOLATIONS)).toBe(true)
  })
})
