/** The routes anyone may call, signed in or not: the access matrix and the guard check both start from this list. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  "GET /login",
  "POST /login",
  "GET /setup",
  "POST /setup",
  "POST /logout",
  "GET /healthz",
  "GET /readyz",
  "GET /static/*",
  "GET /favicon.ico",
  "GET /api/openapi.json",
  "GET /api/docs"
])
