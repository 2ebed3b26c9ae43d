// Bundles the app's TypeScript, the workspace packages it uses and its third-party packages into dist/, so
// production runs on plain node: the TypeScript loader alone costs ~200 MB of memory at run time, and one bundle
// parses faster at start than hundreds of modules (adr/0027). A few packages stay external (below).
import { build } from "esbuild"

// `node build.mjs [--outdir <folder>]`: dist/ by default; the start-up tests build a bundle of their own.
const outdirFlag = process.argv.indexOf("--outdir")
const outdir = outdirFlag > 0 && process.argv[outdirFlag + 1] ? process.argv[outdirFlag + 1] : "dist"

// Kept external: PGlite (its WASM and data files load from its own folder, and the initdb child imports it by
// its resolved path), the AWS SDK (large, loaded only with SECRET_STORE=aws), htmx (served as a file from
// node_modules), msw (the demo's and the benchmark's simulator only; a dev dependency).
const external = ["@electric-sql/pglite", "@aws-sdk/client-secrets-manager", "htmx.org", "msw"].flatMap((name) => [
  name,
  `${name}/*`
])

await build({
  entryPoints: { main: "src/main.ts", demo: "src/demo.ts", "bench-app": "bench/app.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  // Written beside the bundle, read only when node runs with NODE_OPTIONS=--enable-source-maps (off by default:
  // the map of a bundle this size costs start time and memory to load).
  sourcemap: true,
  external,
  tsconfig: "tsconfig.json",
  // The workspace packages are bundled from their TypeScript source: no package build first.
  conditions: ["@sciple/source"],
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
})
