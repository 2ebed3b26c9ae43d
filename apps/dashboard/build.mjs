// Bundles the app's TypeScript (and the workspace packages it uses) into dist/, so production runs on plain
// node: the TypeScript loader alone costs ~200 MB of memory at run time. Third-party packages stay external.
import { readFileSync } from "node:fs"
import { build } from "esbuild"

// `node build.mjs [--outdir <folder>]`: dist/ by default; the start-up tests build a bundle of their own.
const outdirFlag = process.argv.indexOf("--outdir")
const outdir = outdirFlag > 0 && process.argv[outdirFlag + 1] ? process.argv[outdirFlag + 1] : "dist"

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"))
const external = Object.keys(pkg.dependencies)
  .filter((name) => !name.startsWith("@sciple/"))
  .flatMap((name) => [name, `${name}/*`])

await build({
  entryPoints: { main: "src/main.ts", demo: "src/demo.ts", "bench-app": "bench/app.ts" },
  outdir,
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
})
