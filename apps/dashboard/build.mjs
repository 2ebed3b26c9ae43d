// Bundles the app's TypeScript, the workspace packages it uses and its third-party packages into dist/, so
// production runs on plain node: the TypeScript loader alone costs ~200 MB of memory at run time, and one bundle
// parses faster at start than hundreds of modules (adr/0027). A few packages stay external (below).
// Two builds: dist/main.js (production, refusing test support: adr/0029) and dist/demo.js with the benchmark's
// app (which bundle the Jira simulator). Every file is written to a temporary name and renamed into place.
import { mkdir, rename, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { productionGuard } from "./build/production-guard.ts"

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

const common = {
  outdir,
  write: false,
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
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url))
const [production, demo] = await Promise.all([
  build({ ...common, entryPoints: { main: "src/main.ts" }, plugins: [productionGuard(repoRoot)] }),
  build({ ...common, entryPoints: { demo: "demo/main.ts", "bench-app": "bench/app.ts" } })
]).catch(() => {
  // esbuild has printed what failed (a refused import names its importer); nothing was written.
  process.exit(1)
})

// A process starting while this runs reads the old file or the new one, never half of one.
for (const file of [...production.outputFiles, ...demo.outputFiles]) {
  await mkdir(dirname(file.path), { recursive: true })
  const temporary = `${file.path}.${process.pid}.tmp`
  await writeFile(temporary, file.contents)
  await rename(temporary, file.path)
}
