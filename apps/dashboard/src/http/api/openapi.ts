import { Schema } from "effect"
import { html, raw } from "hono/html"
import { PROBLEM_TYPE_BASE } from "../problems.ts"
import type { ApiRoute } from "./route.ts"
import { ProblemDto } from "./schemas.ts"

type Json = { readonly [key: string]: unknown }

/** Effect's JSON Schema for a schema, with its definitions moved to OpenAPI's components. */
const jsonSchemaOf = (schema: Schema.Top, components: Record<string, unknown>): unknown => {
  const document = Schema.toJsonSchemaDocument(schema)
  const relink = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'))
  for (const [name, definition] of Object.entries(document.definitions ?? {})) {
    const def = relink(definition) as Json
    // Request bodies refuse unknown fields, so the contract says so.
    components[name] = def.type === "object" ? { ...def, additionalProperties: false } : def
  }
  return relink(document.schema)
}

const problemResponse = {
  description: "A problem (RFC 9457).",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } }
}

/** The OpenAPI 3.1 document, generated from the same route table and schemas that serve and validate requests. */
export const openApiDocument = (routes: ReadonlyArray<ApiRoute>) => {
  const components: Record<string, unknown> = {}
  jsonSchemaOf(ProblemDto, components)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${route.path
        .replace(/^\/api\/v1/, "")
        .replace(/\{(\w+)\}/g, "By-$1")
        .replace(/[/-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      summary: route.summary,
      description: `Requires the \`${route.permission}\` permission.`,
      tags: [route.path.includes("/jira/") ? "Jira" : route.path.includes("/credentials") ? "Credentials" : "Audit"],
      parameters: (route.params ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required === true || p.in === "path",
        description: p.description,
        schema: { type: "string" }
      })),
      responses: {
        [String(route.status)]:
          route.response === undefined
            ? { description: "Done." }
            : {
                description: "OK",
                content: { "application/json": { schema: jsonSchemaOf(route.response, components) } }
              },
        "400": problemResponse,
        "401": problemResponse,
        "403": problemResponse,
        "404": problemResponse,
        "409": problemResponse,
        "405": { ...problemResponse, description: "A method this path does not take; `Allow` lists those it does." },
        "422": problemResponse,
        "502": problemResponse,
        "503": problemResponse
      }
    }
    if (route.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: jsonSchemaOf(route.body, components) } }
      }
    }
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method]: operation }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sciple Jira integration API",
      version: "1.0.0",
      description: `Read Jira data and manage the workspace's Jira connection. Reads need \`dashboard.view\`; writes need \`settings.manage\`. Errors are \`application/problem+json\` (RFC 9457): \`type\` is \`${PROBLEM_TYPE_BASE}<code in kebab case>\`, \`title\` a short sentence for a person, \`code\` the name to switch on. A method a path does not take is a 405 with \`Allow\`.`
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token from Manage › API tokens." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "sciple_session" }
      }
    }
  }
}

/** A readable API reference, rendered on the server from the same document (no CDN, no script). */
export const apiDocsPage = (routes: ReadonlyArray<ApiRoute>) => {
  const doc = openApiDocument(routes)
  const requestBodyOf = (r: ApiRoute) =>
    (doc.paths[r.path]?.[r.method] as { requestBody?: unknown } | undefined)?.requestBody
  const rows = routes.map(
    (r) => html`<section class="panel">
      <h2><code>${r.method.toUpperCase()} ${r.path}</code></h2>
      <p>${r.summary}</p>
      <p class="muted">Permission: <code>${r.permission}</code>. Success: ${String(r.status)}.</p>
      ${
        (r.params ?? []).length === 0
          ? ""
          : html`<table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Description</th></tr></thead><tbody>${(
              r.params ?? []
            ).map(
              (p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.description}</td></tr>`
            )}</tbody></table>`
      }
      ${r.body === undefined ? "" : html`<details><summary>Request body</summary><pre><code>${JSON.stringify(requestBodyOf(r), null, 2)}</code></pre></details>`}
    </section>`
  )
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Sciple</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main id="main"><h1>Sciple Jira integration API</h1>
<p>${raw('Authenticate with a personal API token (<code>Authorization: Bearer &lt;token&gt;</code>, created under Manage › API tokens) or a signed-in session. Errors are <code>application/problem+json</code>. The machine-readable document is at <a href="/api/openapi.json">/api/openapi.json</a>.')}</p>
<details class="panel"><summary>Schemas</summary><pre><code>${JSON.stringify(doc.components.schemas, null, 2)}</code></pre></details>
${rows}
</main></body></html>`
}
