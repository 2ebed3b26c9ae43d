/**
 * The dependency rule (adr/0003): core imports only effect; adapters import core, never each other and
 * never an app; only apps compose. Test files may also use the test tooling.
 */
const TEST = "\\.(test|bench)\\.tsx?$|/testing/|/contracts/|^(packages|apps)/[^/]+/test/"
/** Packages only tests, the benchmark or the demo may load (the same list as the app's production build guard). */
const TEST_ONLY = "vitest|@effect/vitest|playwright-core|axe-core|autocannon|msw|fast-check|@sciple/jira-simulator"
module.exports = {
  forbidden: [
    {
      name: "production-code-imports-no-test-support",
      severity: "error",
      comment:
        "src/ is what ships (adr/0029): no test/ folder, no other package's testing or contracts entry, no test " +
        "tooling, msw or the Jira simulator. Published test-support entries are test support by design; the " +
        "example stands for an outside service and runs against the simulator.",
      from: {
        path: "^((packages|apps)/[^/]+)/src/",
        pathNot: [
          "^packages/[^/]+/src/testing/",
          "^packages/core/src/contracts/",
          "^packages/jira-simulator/src/msw\\.ts$",
          "^apps/embedding-example/"
        ]
      },
      to: {
        path: [
          "^(packages|apps)/.+/test/",
          "^packages/[^/]+/src/(testing|contracts)/",
          "^packages/jira-simulator/",
          `(^|/)node_modules/(${TEST_ONLY})/`,
          // An import that does not resolve keeps its name.
          `^(${TEST_ONLY})(/|$)`
        ],
        // A package's own files, but never its own test support.
        pathNot: "^$1/src/(?!testing/|contracts/)"
      }
    },
    {
      name: "core-imports-only-effect",
      severity: "error",
      comment: "packages/core is the pure domain: effect and its own files only",
      from: { path: "^packages/core/src", pathNot: TEST },
      to: { pathNot: ["^packages/core/src", "node_modules/effect/"] }
    },
    {
      name: "core-testing-imports-only-effect",
      severity: "error",
      comment: "core's fakes and builders (@sciple/jira-core/testing) must load without a test runner installed",
      from: { path: "^packages/core/src/testing/", pathNot: "\\.test\\.ts$" },
      to: { pathNot: ["^packages/core/src/(?!contracts/)", "node_modules/effect/"] }
    },
    {
      name: "core-contracts-import-only-effect-and-vitest",
      severity: "error",
      comment: "core's contract suites (@sciple/jira-core/contracts) may add the test runner, nothing else",
      from: { path: "^packages/core/src", pathNot: "\\.test\\.ts$" },
      to: {
        pathNot: ["^packages/core/src", "node_modules/effect/", "node_modules/@effect/vitest/", "node_modules/vitest/"]
      }
    },
    {
      name: "core-does-not-know-adapters",
      severity: "error",
      from: { path: "^packages/core" },
      to: { path: "^(packages/(?!core/)|apps/)" }
    },
    {
      name: "adapters-do-not-import-each-other",
      severity: "error",
      comment: "an adapter depends on core only; the app composes adapters",
      from: { path: "^packages/([^/]+)/", pathNot: [TEST, "^packages/core/"] },
      to: { path: "^packages/([^/]+)/", pathNot: ["^packages/$1/", "^packages/core/"] }
    },
    {
      name: "identity-sits-below-the-http-layer",
      severity: "error",
      comment: "the dashboard's identity module (adr/0018) knows core, the database package and itself, not pages",
      from: { path: "^apps/dashboard/src/identity/", pathNot: TEST },
      to: { path: "^apps/dashboard/src/(?!identity/)" }
    },
    {
      name: "views-render-values-not-requests",
      severity: "error",
      comment: "the dashboard's views (adr/0030) take plain values: no route, guard or request context in them",
      from: { path: "^apps/dashboard/src/views/" },
      to: { path: "^apps/dashboard/src/http/" }
    },
    {
      name: "the-example-uses-only-published-packages",
      severity: "error",
      comment: "apps/embedding-example stands for an outside service: packed tarballs from npm, never the source",
      from: { path: "^apps/embedding-example/" },
      to: { path: "^(packages|apps/(?!embedding-example/))" }
    },
    {
      name: "nothing-imports-an-app",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" }
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "an import that does not resolve is usually a package used without declaring it",
      // The example installs its packages only when it runs (apps/embedding-example/run.sh).
      from: { pathNot: "^apps/embedding-example/" },
      to: { couldNotResolve: true }
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    preserveSymlinks: false,
    exclude: { path: "\\.data|^(packages|apps)/[^/]+/dist/" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@sciple/source", "import", "default"],
      extensions: [".ts", ".tsx", ".js"]
    }
  }
}
