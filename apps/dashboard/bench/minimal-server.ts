import { readFile } from "node:fs/promises"
import { serve } from "@hono/node-server"
import { Hono } from "hono"

/**
 * The yardstick for warm throughput: a Hono server that answers each page's path with the HTML bytes the
 * dashboard served for it, from memory. BENCH_PAGES is a JSON object of path to file; prints `listening <url>`.
 */
const files: Record<string, string> = JSON.parse(process.env.BENCH_PAGES ?? "{}")
const pages = new Map<string, ArrayBuffer>()
for (const [path, file] of Object.entries(files)) {
  // A copy of its own, so the buffer holds exactly the page's bytes.
  pages.set(path, new Uint8Array(await readFile(file)).buffer)
}

const app = new Hono()
app.get("*", (c) => {
  const html = pages.get(c.req.path)
  return html === undefined ? c.notFound() : c.body(html, 200, { "content-type": "text/html; charset=UTF-8" })
})

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? "0"), hostname: "127.0.0.1" }, (info) =>
  console.log(`listening http://127.0.0.1:${info.port}`)
)
process.once("SIGTERM", () => server.close(() => process.exit(0)))
