import { relative, sep } from "node:path"
import type { Plugin } from "esbuild"

/**
 * The bundle-time half of the rule `production-code-imports-no-test-support` (adr/0029): the production bundle
 * refuses test tooling, the Jira simulator, msw and any test-support file, whichever way it is imported (a
 * package name, a workspace entry such as `@sciple/jira-core/testing`, or a relative path into a `test/` folder).
 */

/** Packages that only tests, the benchmark or the demo may load. */
const TEST_ONLY_PACKAGES = [
  "vitest",
  "@effect/vitest",
  "playwright-core",
  "axe-core",
  "autocannon",
  "msw",
  "fast-check",
  "@sciple/jira-simulator"
] as const

const escapeRegExp = (name: string) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
const BY_NAME = new RegExp(`^(${TEST_ONLY_PACKAGES.map(escapeRegExp).join("|")})(/|$)`)
/** A workspace package's test-support entry, e.g. `@sciple/jira-core/testing` or `/contracts`. */
const SUPPORT_ENTRY = /^@sciple\/[^/]+\/(testing|contracts)(\/|$)/
/** Files, relative to the repository root, that are test support or test-only packages. */
const SUPPORT_FILE = new RegExp(
  `(^|/)(test|testing|contracts)/|^packages/jira-simulator/|(^|/)node_modules/(${TEST_ONLY_PACKAGES.map(escapeRegExp).join("|")})/`
)

/** Why `specifier` may not go into the production bundle, or null when it may. */
const refusalOf = (specifier: string): string | null =>
  BY_NAME.test(specifier)
    ? "a test-only package"
    : SUPPORT_ENTRY.test(specifier)
      ? "a test-support entry of a workspace package"
      : null

/** Why the file at `path` (relative to the repository root) may not go into the production bundle, or null. */
const fileRefusalOf = (path: string): string | null => (SUPPORT_FILE.test(path) ? "test support" : null)

/** An esbuild plugin that fails the build on the first import of test support, naming the importer. */
export const productionGuard = (repoRoot: string): Plugin => ({
  name: "production-code-imports-no-test-support",
  setup(build) {
    const fromRoot = (path: string) => relative(repoRoot, path).split(sep).join("/")
    build.onResolve({ filter: /.*/ }, (args) => {
      const why = refusalOf(args.path)
      if (why === null) return undefined
      return { errors: [{ text: `production code imports ${why}: "${args.path}" from ${fromRoot(args.importer)}` }] }
    })
    build.onLoad({ filter: /.*/ }, (args) => {
      const why = fileRefusalOf(fromRoot(args.path))
      if (why === null) return undefined
      return { errors: [{ text: `production code loads ${why}: ${fromRoot(args.path)}` }] }
    })
  }
})
