// Bundles the app's TypeScript (and the workspace packages it uses) into dist/, so production runs on plain
// node: the TypeScript loader alone costs ~200 MB of memory at run time. Third-party packages stay external.
// Two builds: dist/main.js (production, refusing test support: adr/0029) and dist/demo.js with the benchmark's
// app (which bundle the Jira simulator). Every file is written to a temporary name and renamed into place.
import { readFileSync } from "node:fs"
import { mkdir, rename, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { productionGuard } from "./build/production-guard.ts"

// `node build.mjs [--outdir <folder>]`: dist/ by default; the start-up tests build a bundle of their own.
const outdirFlag = process.argv.indexOf("--outdir")
const outdir = outdirFlag > 0 && process.argv[outdirFlag + 1] ? process.argv[outdirFlag + 1] : "dist"

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"))
const external = Object.keys(pkg.dependencies)
  .filter((name) => !name.startsWith("@sciple/"))
  .flatMap((name) => [name, `${name}/*`])

const common = {
  outdir,
  write: false,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  sourcemap: true,
  external: [...external, "msw", "msw/*"],
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
