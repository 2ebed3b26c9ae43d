import { spawn } from "node:child_process"
import { APP_DIR } from "./processes.ts"

/** A benchmark script run by `pnpm bench` after the drivers; it prints its Markdown on stdout. */
interface Section {
  readonly title: string
  readonly script: string
}

/** The several-instance, stale, quota-pause, embedded and shared-tier figures (adr/0024, adr/0027). */
export const SECTIONS: ReadonlyArray<Section> = [
  { title: "Several instances on one PostgreSQL: cold, past the TTL, a quota pause", script: "bench/instances.ts" },
  { title: "The embedded default (PGlite)", script: "bench/embedded.ts" },
  { title: "The shared tier's stores", script: "bench/shared-tier-stores.ts" },
  { title: "Count all (exact counts)", script: "bench/count-all.ts" }
]

/** Runs one script in a Node process of its own (its progress goes to stderr) and returns its Markdown. */
export const runSection = (section: Section, quick: boolean): Promise<string> =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@sciple/source", "--import", "tsx", section.script, ...(quick ? ["--quick"] : [])],
      { cwd: APP_DIR, env: process.env, stdio: ["ignore", "pipe", "inherit"] }
    )
    const chunks: Array<Buffer> = []
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk))
    child.once("error", (error) => resolve(`The script could not start: ${error.message}`))
    child.once("close", (code) => {
      const output = Buffer.concat(chunks).toString().trim()
      resolve(code === 0 ? output : `${output}\n\nThe script exited with code ${code}: figures above are partial.`)
    })
  })
