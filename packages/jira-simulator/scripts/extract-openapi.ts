// Extracts the operations the product uses, and the component schemas they reference, from
// Atlassian's Jira Cloud platform REST API v3 OpenAPI document into test-data/jira-openapi-subset.json.
// Usage: pnpm exec tsx packages/jira-simulator/scripts/extract-openapi.ts [path/to/openapi-v3.json]
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const OPERATION_IDS = [
  "getCurrentUser",
  "searchAndReconsileIssuesUsingJqlPost",
  "searchAndReconsileIssuesUsingJql",
  "countIssues",
  "searchProjects",
  "getProject",
  "parseJqlQueries"
] as const

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const collectRefs = (value: Json, into: Set<string>): void => {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into)
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") into.add(child)
      else collectRefs(child, into)
    }
  }
}

const extractSubset = (doc: JsonObject): JsonObject => {
  const info = isObject(doc.info) ? doc.info : {}
  const paths = isObject(doc.paths) ? doc.paths : {}
  const components = isObject(doc.components) ? doc.components : {}
  const allSchemas = isObject(components.schemas) ? components.schemas : {}
  const outPaths: JsonObject = {}
  const found = new Set<string>()
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    for (const method of HTTP_METHODS) {
      const op = item[method]
      if (!isObject(op) || typeof op.operationId !== "string") continue
      if (!(OPERATION_IDS as readonly string[]).includes(op.operationId)) continue
      found.add(op.operationId)
      const existing = outPaths[path]
      outPaths[path] = { ...(isObject(existing) ? existing : {}), [method]: op }
    }
  }
  const missing = OPERATION_IDS.filter((id) => !found.has(id))
  if (missing.length > 0) throw new Error(`operations not found: ${missing.join(", ")}`)

  const prefix = "#/components/schemas/"
  const pending = new Set<string>()
  collectRefs(outPaths, pending)
  const schemas: JsonObject = {}
  while (pending.size > 0) {
    const [ref] = pending
    if (ref === undefined) break
    pending.delete(ref)
    if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`)
    const name = ref.slice(prefix.length)
    if (name in schemas) continue
    const schema = allSchemas[name]
    if (schema === undefined) throw new Error(`missing schema ${name}`)
    schemas[name] = schema
    const next = new Set<string>()
    collectRefs(schema, next)
    for (const r of next) if (!(r.slice(prefix.length) in schemas)) pending.add(r)
  }
  const sortedSchemas: JsonObject = {}
  for (const name of Object.keys(schemas).sort()) sortedSchemas[name] = schemas[name] ?? null

  return {
    source: `Extracted from Atlassian's Jira Cloud platform REST API v3 OpenAPI document (openapi ${String(doc.openapi)}, title "${String(info.title)}", version ${String(info.version)}); operations ${OPERATION_IDS.join(", ")} and the component schemas they reference, transitively.`,
    openapi: doc.openapi ?? null,
    info: { title: info.title ?? null, version: info.version ?? null },
    paths: outPaths,
    components: { schemas: sortedSchemas }
  }
}

const main = (): void => {
  const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
  const input = process.argv[2] ?? resolve(packageDir, "../../../shared/jira-cloud/openapi-v3.json")
  const output = resolve(packageDir, "test-data/jira-openapi-subset.json")
  const doc: unknown = JSON.parse(readFileSync(input, "utf8"))
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error("not an OpenAPI document")
  const subset = extractSubset(doc as JsonObject)
  writeFileSync(output, `${JSON.stringify(subset, null, 2)}\n`)
  const schemas = subset.components
  const count = isObject(schemas) && isObject(schemas.schemas) ? Object.keys(schemas.schemas).length : 0
  process.stdout.write(`wrote ${OPERATION_IDS.length} operations and ${count} schemas\n`)
}

main()
