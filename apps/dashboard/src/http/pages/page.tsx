import { SETTINGS_MANAGE } from "@sciple/jira-core"
import type { Context } from "hono"
import type { Child } from "hono/jsx"
import { Layout, type Section, type Viewer } from "../../views/layout.tsx"
import { statusOf, type TaggedError } from "../errors.ts"
import type { AppDeps, Auth, RequestContext } from "../runtime.ts"

/** The signed-in viewer for the layout, or null. */
export const viewerOf = (auth: Auth | null): Viewer | null =>
  auth === null
    ? null
    : { email: auth.user.email, workspaceName: auth.workspace.name, canManage: auth.principal.can(SETTINGS_MANAGE) }

/** Renders a full page in the layout for the signed-in viewer. */
export const page = (
  c: RequestContext,
  deps: AppDeps,
  title: string,
  section: Section,
  body: Child,
  status: 200 | 201 | 400 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503 | 504 = 200
) =>
  c.html(
    <Layout title={title} viewer={viewerOf(c.var.auth)} section={section} demo={deps.demo !== null}>
      {body}
    </Layout>,
    status
  )

/** A whole page that could not be built: the error's own message, with its status. */
export const errorPage = (c: RequestContext, deps: AppDeps, error: TaggedError) => {
  const status = statusOf(error)
  const title = status === 403 ? "Not permitted" : status === 404 ? "Not found" : "Something went wrong"
  return page(
    c,
    deps,
    title,
    "none",
    <section class="panel">
      <h1>{title}</h1>
      <p>{error.message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>,
    status as 403
  )
}

/** htmx asked for a part of the page (not a history restore of the whole page). */
export const isFragmentRequest = (c: Context) =>
  c.req.header("hx-request") === "true" && c.req.header("hx-history-restore-request") === undefined
