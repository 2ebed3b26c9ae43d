// The core's footprint, as the README reports it: the packed tarball, and the main entry bundled with effect
// external, minified and gzipped. Run after a build: `pnpm --filter @sciple/jira-core size`.
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

const packageDir = new URL("..", import.meta.url).pathname
const out = await build({
  entryPoints: [join(packageDir, "dist/index.js")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  external: ["effect"],
  minify: true,
  write: false
})
const minified = out.outputFiles[0].contents
const packDir = mkdtempSync(join(tmpdir(), "core-size-"))
try {
  execFileSync("pnpm", ["pack", "--pack-destination", packDir], { cwd: packageDir, stdio: "ignore" })
  const [tarball] = readdirSync(packDir)
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)`
  console.log(`packed tarball ${tarball}: ${kb(statSync(join(packDir, tarball)).size)}`)
  console.log(`main entry minified: ${kb(minified.length)}; minified + gzipped: ${kb(gzipSync(minified).length)}`)
} finally {
  rmSync(packDir, { recursive: true, force: true })
}
