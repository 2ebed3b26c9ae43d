import { Hono } from "hono"
import type { AppEnv } from "../runtime.ts"
import { apiDocsPage, openApiDocument } from "./openapi.ts"
import { API_ROUTES } from "./routes.ts"

/** The API's contract and reference, public: `/api/openapi.json` (OpenAPI 3.1) and `/api/docs`. */
export const apiDocsRoutes = () => {
  const app = new Hono<AppEnv>()
  app.get("/api/openapi.json", (c) => c.json(openApiDocument(API_ROUTES)))
  app.get("/api/docs", (c) => c.html(apiDocsPage(API_ROUTES)))
  return app
}
